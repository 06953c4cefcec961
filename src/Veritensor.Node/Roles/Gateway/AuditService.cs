using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Transactions;
using Veritensor.Tensors;

namespace Veritensor.Node.Roles.Gateway;

/// <summary>
/// Catches verifiers that sign without computing, on live traffic. For a drawn verifier of a real, paying request the
/// gateway now and then (<see cref="RoleOptions.AuditRate"/>) shows a deliberately wrong output first, after the verifier
/// committed and before it sees the executor's output. At commit time nothing tells an audited request from any other (it
/// is one: the user's own key, fee and inputs), so a verifier that saves its compute cannot pick the requests to compute
/// for. An honest verifier attests a mismatch and then attests the real output as usual; one that attests a match has
/// signed evidence against itself. Once the request's record is in a block, the gateway reports that evidence (the
/// ledger accepts reports only from a recorded request's gateway) and takes it to a dispute quorum, which slashes it.
/// </summary>
internal sealed partial class AuditService(
    RoleIdentity identity,
    IInferenceLedger ledger,
    DisputeResolver disputes,
    RoleOptions options,
    BackgroundWork background,
    ILogger<AuditService> log
)
{
    /// <summary>How many audit outcomes are kept for <see cref="OutcomeAsync"/>, oldest forgotten first.</summary>
    private const int MaxOutcomes = 1024;

    private readonly ConcurrentDictionary<Hash256, List<CaughtVerifier>> _awaitingRecord = new();
    private readonly ConcurrentDictionary<(Hash256, Address), TaskCompletionSource<AuditOutcome>> _outcomes = new();
    private readonly ConcurrentQueue<(Hash256, Address)> _outcomeOrder = new();
    private long _passed;
    private long _caught;

    /// <summary>Audits that found the planted mismatch, and audits that caught a verifier attesting a match to it.</summary>
    public (long Passed, long Caught) Counts => (Interlocked.Read(ref _passed), Interlocked.Read(ref _caught));

    /// <summary>Whether to audit one drawn verifier of one request: with probability <see cref="RoleOptions.AuditRate"/>, unpredictably.</summary>
    public bool ShouldAudit() =>
        options.AuditRate > 0 && RandomNumberGenerator.GetInt32(1_000_000) < options.AuditRate * 1_000_000;

    /// <summary>
    /// Takes the verifier's signed answer to the planted output of request <paramref name="requestId"/>. A mismatch
    /// passes; a match is kept until the request is recorded (<see cref="Recorded"/>), then reported and disputed.
    /// </summary>
    public void Judge(
        Address verifier,
        InferenceRequest request,
        Hash256 requestId,
        Attestation answer,
        LedgerModel model,
        IReadOnlyList<NamedTensor> inputs,
        IReadOnlyList<NamedTensor> planted
    )
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (answer.Verdict == AttestationVerdict.Mismatch)
        {
            Interlocked.Increment(ref _passed);
            Log.Passed(log, verifier.ToString(), requestId.ToString());
            Complete(new AuditOutcome(verifier, requestId, Passed: true, null, null, null));
            return;
        }
        Interlocked.Increment(ref _caught);
        Log.Caught(log, verifier.ToString(), requestId.ToString());
        var caught = new CaughtVerifier(verifier, request, answer, model, inputs, planted);
        _awaitingRecord.AddOrUpdate(requestId, _ => [caught], (_, list) => [.. list, caught]);
    }

    /// <summary>The recorder's word that request <paramref name="requestId"/> is in a block: report what its audits caught.</summary>
    public void Recorded(Hash256 requestId)
    {
        if (!_awaitingRecord.TryRemove(requestId, out var caught))
            return;
        foreach (var verifier in caught)
            background.Start(async stopping =>
            {
                try
                {
                    Complete(await ReportAsync(requestId, verifier, stopping).ConfigureAwait(false));
                }
                catch (Exception e) when (!stopping.IsCancellationRequested)
                {
                    Log.ReportFailed(log, verifier.Verifier.ToString(), requestId.ToString(), e.Message);
                    Complete(new AuditOutcome(verifier.Verifier, requestId, false, null, null, null, e.Message));
                }
            });
    }

    /// <summary>The recorder's word that request <paramref name="requestId"/> will not be recorded: its audits cannot be reported.</summary>
    public void NotRecorded(Hash256 requestId, string reason)
    {
        if (!_awaitingRecord.TryRemove(requestId, out var caught))
            return;
        foreach (var verifier in caught)
        {
            Log.ReportFailed(log, verifier.Verifier.ToString(), requestId.ToString(), reason);
            Complete(new AuditOutcome(verifier.Verifier, requestId, false, null, null, null, reason));
        }
    }

    /// <summary>What the audit of <paramref name="verifier"/> on request <paramref name="requestId"/> found, once it is known.</summary>
    public Task<AuditOutcome> OutcomeAsync(Hash256 requestId, Address verifier, CancellationToken cancellationToken) =>
        Slot(requestId, verifier).Task.WaitAsync(cancellationToken);

    private async Task<AuditOutcome> ReportAsync(
        Hash256 requestId,
        CaughtVerifier caught,
        CancellationToken cancellationToken
    )
    {
        var report = await ledger
            .SubmitAsync(identity.Payer, new ReportAttestationPayload(caught.Answer, caught.Request), cancellationToken)
            .ConfigureAwait(false);
        var reported = await ledger.WaitAsync(report, cancellationToken).ConfigureAwait(false);
        var disputeId = caught.Answer.Hash();
        if (!reported.Included)
            return new AuditOutcome(caught.Verifier, requestId, false, reported, null, disputeId, reported.Error);
        var resolved = await disputes
            .ResolveAsync(disputeId, requestId, caught.Model, caught.Inputs, caught.Planted, cancellationToken)
            .ConfigureAwait(false);
        return new AuditOutcome(caught.Verifier, requestId, false, reported, resolved, disputeId);
    }

    private TaskCompletionSource<AuditOutcome> Slot(Hash256 requestId, Address verifier)
    {
        var key = (requestId, verifier);
        var slot = _outcomes.GetOrAdd(key, _ =>
        {
            _outcomeOrder.Enqueue(key);
            return new TaskCompletionSource<AuditOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        });
        while (_outcomes.Count > MaxOutcomes && _outcomeOrder.TryDequeue(out var oldest))
            _outcomes.TryRemove(oldest, out _);
        return slot;
    }

    private void Complete(AuditOutcome outcome) => Slot(outcome.RequestId, outcome.Verifier).TrySetResult(outcome);

    private sealed record CaughtVerifier(
        Address Verifier,
        InferenceRequest Request,
        Attestation Answer,
        LedgerModel Model,
        IReadOnlyList<NamedTensor> Inputs,
        IReadOnlyList<NamedTensor> Planted
    );

    /// <summary>A copy of <paramref name="outputs"/> with the first element of the first tensor changed far beyond any tolerance.</summary>
    public static IReadOnlyList<NamedTensor> Perturb(IReadOnlyList<NamedTensor> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var result = outputs.ToArray();
        for (var i = 0; i < result.Length; i++)
        {
            var tensor = result[i].Tensor;
            if (tensor.ElementCount == 0)
                continue;
            if (tensor.IsString)
            {
                var strings = tensor.Strings.ToArray();
                strings[0] += "*";
                result[i] = result[i] with { Tensor = Tensor.FromStrings(tensor.Shape, strings) };
                return result;
            }
            var data = tensor.Data.ToArray();
            switch (tensor.ElementType)
            {
                case TensorElementType.Float:
                    var f = MemoryMarshal.Cast<byte, float>(data.AsSpan());
                    f[0] = f[0] + 1f + Math.Abs(f[0]);
                    break;
                case TensorElementType.Double:
                    var d = MemoryMarshal.Cast<byte, double>(data.AsSpan());
                    d[0] = d[0] + 1d + Math.Abs(d[0]);
                    break;
                case TensorElementType.Bool:
                    data[0] = data[0] == 0 ? (byte)1 : (byte)0;
                    break;
                default:
                    // Flipping a high bit of the first element changes any integer or 16-bit float by far more than a tolerance allows.
                    data[TensorElementTypes.SizeOf(tensor.ElementType) - 1] ^= 0x40;
                    break;
            }
            result[i] = result[i] with { Tensor = Tensor.FromRaw(tensor.ElementType, tensor.Shape, data) };
            return result;
        }
        throw new InvalidOperationException("The outputs have no element to perturb.");
    }

    private static partial class Log
    {
        [LoggerMessage(
            Level = LogLevel.Information,
            Message = "Audit of verifier {Hotkey} on request {RequestId}: passed (it found the planted mismatch)"
        )]
        public static partial void Passed(ILogger logger, string hotkey, string requestId);

        [LoggerMessage(
            Level = LogLevel.Warning,
            Message = "Audit of verifier {Hotkey} on request {RequestId}: it attested a match to a planted wrong output; it is reported once the request is recorded"
        )]
        public static partial void Caught(ILogger logger, string hotkey, string requestId);

        [LoggerMessage(
            Level = LogLevel.Warning,
            Message = "Reporting verifier {Hotkey} caught on request {RequestId} failed: {Reason}"
        )]
        public static partial void ReportFailed(ILogger logger, string hotkey, string requestId, string reason);
    }
}

/// <summary>
/// What an audit found: whether the verifier passed, and when it failed the report and dispute transactions, the
/// dispute's id (the hash of the reported attestation; GET /v1/disputes/{id}), and why a report could not be made.
/// </summary>
internal sealed record AuditOutcome(
    Address Verifier,
    Hash256 RequestId,
    bool Passed,
    LedgerSubmission? Report,
    LedgerSubmission? Resolution,
    Hash256? DisputeId,
    string? Error = null
);
