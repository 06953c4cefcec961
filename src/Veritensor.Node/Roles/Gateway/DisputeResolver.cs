using Microsoft.Extensions.Logging;
using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Transactions;
using Veritensor.Tensors;

namespace Veritensor.Node.Roles.Gateway;

/// <summary>
/// Takes a dispute to its quorum: the verifiers the ledger draws for it (none of the original parties) re-run
/// the inputs and judge the disputed output; their attestations go to the ledger in a ResolveDispute
/// transaction, which slashes whichever side the majority finds wrong. A quorum can fail to settle it (too few
/// verifiers, members that do not answer, a split vote), so the resolver retries a few times with backoff and
/// then waits out the ledger's dispute window and sends ExpireDispute, which refunds the escrow: the user's
/// funds are never locked for good.
/// </summary>
internal sealed partial class DisputeResolver(
    RoleIdentity identity,
    IInferenceLedger ledger,
    RoleHttp http,
    InferenceResultStore results,
    TimeProvider time,
    ILogger<DisputeResolver> log
)
{
    private static readonly TimeSpan JudgeTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How many quorum rounds are tried before waiting for the dispute window to pass.</summary>
    public const int ResolveAttempts = 3;

    /// <summary>How many ExpireDispute transactions are sent before giving up (each is refused only by a race or a stale head).</summary>
    public const int ExpireAttempts = 3;

    /// <summary>The first pause between rounds and between polls of the head; it doubles up to <see cref="MaxPollDelay"/>.</summary>
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromSeconds(10);

    /// <summary>The longest the resolver waits for the window to pass: a 600-block window takes 10 minutes at one block a second.</summary>
    private static readonly TimeSpan MaxExpiryWait = TimeSpan.FromHours(2);

    /// <summary>Settles the dispute over a request this gateway served; updates the request's state to final with the outcome.</summary>
    public async Task ResolveAsync(Hash256 requestId, CancellationToken cancellationToken)
    {
        var stored = results.Get(requestId)
            ?? throw new InvalidOperationException($"No stored request {requestId} to take to a dispute.");
        var settlement = await SettleAsync(
                requestId,
                requestId,
                stored.Model,
                stored.Inputs,
                stored.Outputs,
                cancellationToken
            )
            .ConfigureAwait(false);
        var view = await ledger.GetRecordAsync(requestId, cancellationToken).ConfigureAwait(false);
        results.Update(requestId, r =>
            r with
            {
                State = settlement.Settled ? InferenceStates.Final : InferenceStates.Disputed,
                Ledger = view ?? r.Ledger,
                Error = settlement.Settled ? r.Error : $"dispute not settled: {settlement.Error}",
            }
        );
    }

    /// <summary>
    /// Settles dispute <paramref name="disputeId"/>: up to <see cref="ResolveAttempts"/> quorum rounds (see
    /// <see cref="ResolveAsync(Hash256, Hash256, LedgerModel, IReadOnlyList{NamedTensor}, IReadOnlyList{NamedTensor}, CancellationToken)"/>)
    /// with backoff; when none is included, waits until the ledger allows an expiry and sends ExpireDispute. Bounded by
    /// the attempt counts and <see cref="MaxExpiryWait"/>; <paramref name="cancellationToken"/> stops it at any await.
    /// </summary>
    public async Task<DisputeSettlement> SettleAsync(
        Hash256 disputeId,
        Hash256 requestId,
        LedgerModel model,
        IReadOnlyList<NamedTensor> inputs,
        IReadOnlyList<NamedTensor> disputedOutputs,
        CancellationToken cancellationToken
    )
    {
        var delay = FirstDelay;
        string? lastError = null;
        for (var attempt = 1; attempt <= ResolveAttempts; attempt++)
        {
            if (await ReadAsync(disputeId, cancellationToken).ConfigureAwait(false) is not { } dispute)
                return new DisputeSettlement(false, null, $"the ledger has no dispute {disputeId}");
            if (dispute.Outcome != DisputeOutcome.Pending)
                return new DisputeSettlement(true, dispute.Outcome, null);
            LedgerSubmission round;
            try
            {
                round = await ResolveAsync(disputeId, requestId, model, inputs, disputedOutputs, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (NodeClientException e)
            {
                // Admission refused it: most often no majority (a short quorum or a split vote).
                round = new LedgerSubmission(Hash256.Zero, false, null, e.Message);
            }
            if (round.Included)
                return await SettledAsync(disputeId, cancellationToken).ConfigureAwait(false);
            lastError = round.Error;
            Log.RoundFailed(log, disputeId.ToString(), attempt, ResolveAttempts, lastError ?? "");
            if (attempt < ResolveAttempts)
                delay = await PauseAsync(delay, cancellationToken).ConfigureAwait(false);
        }
        return await ExpireAsync(disputeId, lastError, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Polls the head until the dispute may expire, then sends ExpireDispute; stops early if someone else settles it.</summary>
    private async Task<DisputeSettlement> ExpireAsync(
        Hash256 disputeId,
        string? resolveError,
        CancellationToken cancellationToken
    )
    {
        var deadline = time.GetUtcNow() + MaxExpiryWait;
        var delay = FirstDelay;
        var sent = 0;
        var lastError = resolveError;
        while (true)
        {
            if (await ReadAsync(disputeId, cancellationToken).ConfigureAwait(false) is not { } dispute)
                return new DisputeSettlement(false, null, $"the ledger has no dispute {disputeId}");
            if (dispute.Outcome != DisputeOutcome.Pending)
                return new DisputeSettlement(true, dispute.Outcome, null);
            var head = await ledger.GetHeadAsync(fresh: true, cancellationToken).ConfigureAwait(false);
            // A transaction sent now lands in the next block at the earliest.
            if (head.Height + 1 >= dispute.ExpirableFrom)
            {
                if (sent == ExpireAttempts)
                    return new DisputeSettlement(
                        false,
                        null,
                        $"no majority ({resolveError}) and {sent} expiries failed: {lastError}"
                    );
                sent++;
                try
                {
                    var id = await ledger
                        .SubmitAsync(identity.Payer, new ExpireDisputePayload(disputeId), cancellationToken)
                        .ConfigureAwait(false);
                    var outcome = await ledger.WaitAsync(id, cancellationToken).ConfigureAwait(false);
                    Log.Expiry(log, disputeId.ToString(), outcome.Included, outcome.Error ?? "");
                    if (outcome.Included)
                        return await SettledAsync(disputeId, cancellationToken).ConfigureAwait(false);
                    lastError = outcome.Error;
                }
                catch (NodeClientException e)
                {
                    lastError = e.Message;
                }
            }
            if (time.GetUtcNow() >= deadline)
                return new DisputeSettlement(
                    false,
                    null,
                    $"no majority ({resolveError}) and the dispute window did not pass within {MaxExpiryWait}"
                );
            delay = await PauseAsync(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<LedgerDispute?> ReadAsync(Hash256 disputeId, CancellationToken cancellationToken) =>
        await ledger.GetDisputeAsync(disputeId, cancellationToken).ConfigureAwait(false);

    private async Task<DisputeSettlement> SettledAsync(Hash256 disputeId, CancellationToken cancellationToken) =>
        await ReadAsync(disputeId, cancellationToken).ConfigureAwait(false)
            is { Outcome: not DisputeOutcome.Pending } settled
            ? new DisputeSettlement(true, settled.Outcome, null)
            : new DisputeSettlement(
                false,
                null,
                $"the settling transaction was included but dispute {disputeId} still reads pending"
            );

    /// <summary>Waits <paramref name="delay"/> and returns the next one (doubled, capped).</summary>
    private async Task<TimeSpan> PauseAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        return delay * 2 < MaxPollDelay ? delay * 2 : MaxPollDelay;
    }

    /// <summary>
    /// One round: asks the quorum of dispute <paramref name="disputeId"/> to judge <paramref name="disputedOutputs"/> for
    /// request <paramref name="requestId"/> and sends their attestations to the ledger. Throws <see cref="NodeClientException"/>
    /// when the ledger refuses the transaction at admission (e.g. no majority).
    /// </summary>
    public async Task<LedgerSubmission> ResolveAsync(
        Hash256 disputeId,
        Hash256 requestId,
        LedgerModel model,
        IReadOnlyList<NamedTensor> inputs,
        IReadOnlyList<NamedTensor> disputedOutputs,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(model);
        var quorum = await ledger.GetDisputeQuorumAsync(disputeId, cancellationToken).ConfigureAwait(false);
        var judge = new JudgeRequest(
            requestId.ToString(),
            model.ContentId.ToString(),
            WireTensors.Encode(inputs),
            WireTensors.Encode(disputedOutputs),
            disputeId.ToString()
        );
        var verdicts = await Task.WhenAll(quorum.Select(member => JudgeAsync(member, judge, cancellationToken)))
            .ConfigureAwait(false);
        var attestations = verdicts.OfType<Attestation>().ToArray();
        var id = await ledger
            .SubmitAsync(identity.Payer, new ResolveDisputePayload(disputeId, attestations), cancellationToken)
            .ConfigureAwait(false);
        var outcome = await ledger.WaitAsync(id, cancellationToken).ConfigureAwait(false);
        Log.Resolved(
            log,
            disputeId.ToString(),
            attestations.Length,
            quorum.Count,
            outcome.Included,
            outcome.Error ?? ""
        );
        return outcome;
    }

    private async Task<Attestation?> JudgeAsync(
        LedgerNode member,
        JudgeRequest judge,
        CancellationToken cancellationToken
    )
    {
        try
        {
            var answer = await http.PostAsync(
                    member.Endpoint,
                    "v1/verify/judge",
                    judge,
                    RoleJsonContext.Default.JudgeRequest,
                    RoleJsonContext.Default.AttestResponse,
                    JudgeTimeout,
                    cancellationToken
                )
                .ConfigureAwait(false);
            var attestation = Attestation.Decode(Convert.FromBase64String(answer.Attestation));
            return attestation.Verifier == member.Hotkey && attestation.VerifyVote(identity.ChainId)
                ? attestation
                : null;
        }
        catch (Exception e) when (e is RoleCallException or FormatException or Core.Encoding.CanonicalEncodingException)
        {
            Log.JudgeFailed(log, member.Hotkey.ToString(), e.Message);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(
            Level = LogLevel.Information,
            Message = "Dispute {DisputeId}: {Attestations} of {Quorum} quorum attestations sent; included {Included} {Error}"
        )]
        public static partial void Resolved(
            ILogger logger,
            string disputeId,
            int attestations,
            int quorum,
            bool included,
            string error
        );

        [LoggerMessage(Level = LogLevel.Warning, Message = "Quorum member {Hotkey} did not judge: {Reason}")]
        public static partial void JudgeFailed(ILogger logger, string hotkey, string reason);

        [LoggerMessage(
            Level = LogLevel.Warning,
            Message = "Dispute {DisputeId}: round {Attempt} of {Attempts} did not resolve it: {Reason}"
        )]
        public static partial void RoundFailed(
            ILogger logger,
            string disputeId,
            int attempt,
            int attempts,
            string reason
        );

        [LoggerMessage(
            Level = LogLevel.Information,
            Message = "Dispute {DisputeId}: expiry included {Included} {Error}"
        )]
        public static partial void Expiry(ILogger logger, string disputeId, bool included, string error);
    }
}

/// <summary>How a resolver's attempt to settle a dispute ended: <see cref="Outcome"/> when settled (resolved or expired), else <see cref="Error"/>.</summary>
internal sealed record DisputeSettlement(bool Settled, DisputeOutcome? Outcome, string? Error);
