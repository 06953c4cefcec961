using Microsoft.Extensions.Logging;
using Veritensor.Core.Crypto;
using Veritensor.Inference.Tensors;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Node.Inference;

/// <summary>
/// Takes a dispute to its quorum: the verifiers the ledger draws for it (none of the original parties) re-run
/// the inputs and judge the disputed output; their attestations go to the ledger in a ResolveDispute
/// transaction, which slashes whichever side the majority finds wrong.
/// </summary>
public sealed partial class DisputeResolver(RoleIdentity identity, IInferenceLedger ledger, RoleHttp http, InferenceResultStore results, ILogger<DisputeResolver> log)
{
    private static readonly TimeSpan JudgeTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Resolves the dispute over a request this gateway served; updates the request's state to final with the outcome.</summary>
    public async Task ResolveAsync(Hash256 requestId, CancellationToken cancellationToken)
    {
        var stored = results.Get(requestId) ?? throw new InvalidOperationException($"No stored request {requestId} to take to a dispute.");
        var outcome = await ResolveAsync(requestId, requestId, stored.Model, stored.Inputs, stored.Outputs, cancellationToken).ConfigureAwait(false);
        var view = await ledger.GetRecordAsync(requestId, cancellationToken).ConfigureAwait(false);
        results.Update(requestId, r => r with
        {
            State = outcome.Included ? InferenceStates.Final : InferenceStates.Disputed,
            Ledger = view ?? r.Ledger,
            Error = outcome.Included ? r.Error : $"dispute not resolved: {outcome.Error}",
        });
    }

    /// <summary>
    /// Asks the quorum of dispute <paramref name="disputeId"/> to judge <paramref name="disputedOutputs"/> for request
    /// <paramref name="requestId"/> and sends their attestations to the ledger.
    /// </summary>
    public async Task<LedgerSubmission> ResolveAsync(Hash256 disputeId, Hash256 requestId, LedgerModel model, IReadOnlyList<NamedTensor> inputs,
        IReadOnlyList<NamedTensor> disputedOutputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var quorum = await ledger.GetDisputeQuorumAsync(disputeId, cancellationToken).ConfigureAwait(false);
        var judge = new JudgeRequest(requestId.ToString(), model.ContentId.ToString(), WireTensors.Encode(inputs), WireTensors.Encode(disputedOutputs));
        var verdicts = await Task.WhenAll(quorum.Select(member => JudgeAsync(member, judge, cancellationToken))).ConfigureAwait(false);
        var attestations = verdicts.OfType<Attestation>().ToArray();
        var id = await ledger.SubmitAsync(identity.Key, new ResolveDisputePayload(disputeId, attestations), cancellationToken).ConfigureAwait(false);
        var outcome = await ledger.WaitAsync(id, cancellationToken).ConfigureAwait(false);
        Log.Resolved(log, disputeId.ToString(), attestations.Length, quorum.Count, outcome.Included, outcome.Error ?? "");
        return outcome;
    }

    private async Task<Attestation?> JudgeAsync(LedgerNode member, JudgeRequest judge, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await http.PostAsync(member.Endpoint, "v1/verify/judge", judge, RoleJsonContext.Default.JudgeRequest, RoleJsonContext.Default.AttestResponse,
                JudgeTimeout, cancellationToken).ConfigureAwait(false);
            var attestation = Attestation.Decode(Convert.FromBase64String(answer.Attestation));
            return attestation.Verifier == member.Hotkey && attestation.Verify(identity.ChainId) ? attestation : null;
        }
        catch (Exception e) when (e is RoleCallException or FormatException or Core.Encoding.CanonicalEncodingException)
        {
            Log.JudgeFailed(log, member.Hotkey.ToString(), e.Message);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Dispute {DisputeId}: {Attestations} of {Quorum} quorum attestations sent; included {Included} {Error}")]
        public static partial void Resolved(ILogger logger, string disputeId, int attestations, int quorum, bool included, string error);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Quorum member {Hotkey} did not judge: {Reason}")]
        public static partial void JudgeFailed(ILogger logger, string hotkey, string reason);
    }
}
