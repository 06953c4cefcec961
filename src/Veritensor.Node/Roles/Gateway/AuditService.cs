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
/// Catches verifiers that sign without computing. Now and then (<see cref="RoleOptions.AuditRate"/>) after a
/// verified request, the gateway sends one of its verifiers the same inputs as a fresh full-mode request from a
/// throwaway user key, drawn for it by the ledger's rule and shaped like any other, and shows it a deliberately wrong
/// output. An honest verifier
/// attests a mismatch; one that attests a match has signed evidence against itself, which the gateway reports
/// on the ledger and takes to a dispute quorum, which slashes it.
/// </summary>
internal sealed partial class AuditService(
    RoleIdentity identity,
    IInferenceLedger ledger,
    RoleHttp http,
    DisputeResolver disputes,
    RoleOptions options,
    BackgroundWork background,
    ILogger<AuditService> log
)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Draws whether to audit (with probability <see cref="RoleOptions.AuditRate"/>) and, if so, audits one of <paramref name="verifiers"/> in the background.</summary>
    public void MaybeAudit(
        LedgerModel model,
        IReadOnlyList<NamedTensor> inputs,
        IReadOnlyList<NamedTensor> knownOutputs,
        IReadOnlyList<LedgerNode> verifiers
    )
    {
        if (verifiers.Count == 0 || options.AuditRate <= 0)
            return;
        // Unpredictable on purpose: a verifier must not be able to tell which requests are audits.
        if (RandomNumberGenerator.GetInt32(1_000_000) >= options.AuditRate * 1_000_000)
            return;
        var verifier = verifiers[RandomNumberGenerator.GetInt32(verifiers.Count)];
        background.Start(async stopping =>
        {
            try
            {
                await AuditAsync(verifier, model, inputs, knownOutputs, stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                Log.AuditFailed(log, verifier.Hotkey.ToString(), e.Message);
            }
        });
    }

    /// <summary>Audits <paramref name="verifier"/> with inputs whose correct outputs are known. Returns what happened.</summary>
    public async Task<AuditOutcome> AuditAsync(
        LedgerNode verifier,
        LedgerModel model,
        IReadOnlyList<NamedTensor> inputs,
        IReadOnlyList<NamedTensor> knownOutputs,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(model);
        var wrong = Perturb(knownOutputs);
        var (signed, requestId, executor, ticket) = await DecoyRequestAsync(verifier, model, inputs, cancellationToken)
            .ConfigureAwait(false);
        var request = signed.Request;
        var commit = await http.PostAsync(
                verifier.Endpoint,
                "v1/verify/commit",
                new CommitRequest(
                    Convert.ToBase64String(signed.Encode()),
                    WireTensors.Encode(inputs),
                    executor.ToString(),
                    Convert.ToBase64String(ticket.Span),
                    identity.Dispatch(requestId, verifier.Hotkey)
                ),
                RoleJsonContext.Default.CommitRequest,
                RoleJsonContext.Default.CommitResponse,
                Timeout,
                cancellationToken
            )
            .ConfigureAwait(false);
        var answer = await http.PostAsync(
                verifier.Endpoint,
                "v1/verify/attest",
                new AttestRequest(
                    requestId.ToString(),
                    WireTensors.Encode(wrong),
                    Dispatch: identity.Dispatch(requestId, verifier.Hotkey)
                ),
                RoleJsonContext.Default.AttestRequest,
                RoleJsonContext.Default.AttestResponse,
                Timeout,
                cancellationToken
            )
            .ConfigureAwait(false);
        var attestation = Attestation.Decode(Convert.FromBase64String(answer.Attestation));
        if (
            attestation.Verifier != verifier.Hotkey
            || !attestation.Verify(identity.ChainId)
            || attestation.SubjectMismatch(requestId, model.ContentId, request.InputHash, TensorHash.Compute(wrong))
                is not null
        )
            throw new InvalidOperationException(
                $"verifier {verifier.Hotkey} answered the audit with an attestation that is not its own for this request"
            );
        if (attestation.Verdict == AttestationVerdict.Mismatch)
        {
            Log.Passed(log, verifier.Hotkey.ToString());
            return new AuditOutcome(verifier.Hotkey, Passed: true, commit.Commitment is not null, null, null);
        }
        Log.Caught(log, verifier.Hotkey.ToString());
        var report = await ledger
            .SubmitAsync(identity.Payer, new ReportAttestationPayload(attestation), cancellationToken)
            .ConfigureAwait(false);
        var reported = await ledger.WaitAsync(report, cancellationToken).ConfigureAwait(false);
        var disputeId = attestation.Hash();
        if (!reported.Included)
            return new AuditOutcome(verifier.Hotkey, false, commit.Commitment is not null, reported, null, disputeId);
        var resolved = await disputes
            .ResolveAsync(disputeId, requestId, model, inputs, wrong, cancellationToken)
            .ConfigureAwait(false);
        return new AuditOutcome(verifier.Hotkey, false, commit.Commitment is not null, reported, resolved, disputeId);
    }

    /// <summary>How many nonces an audit tries before giving up on drawing its verifier (each draw holds it with a chance of about k / verifiers).</summary>
    private const int MaxDecoyTries = 256;

    /// <summary>
    /// A request from a throwaway user, shaped as a real one (full mode, the usual maximum fee, a served executor), with
    /// a nonce tried until the ledger's draw holds <paramref name="verifier"/>: a verifier works only on requests it is
    /// drawn for, so an audit must be one of those.
    /// </summary>
    private async Task<(
        SignedInferenceRequest Signed,
        Hash256 RequestId,
        Address Executor,
        Signature Ticket
    )> DecoyRequestAsync(
        LedgerNode verifier,
        LedgerModel model,
        IReadOnlyList<NamedTensor> inputs,
        CancellationToken cancellationToken
    )
    {
        var head = await ledger.GetHeadAsync(cancellationToken).ConfigureAwait(false);
        var parameters = await ledger.GetParametersAsync(cancellationToken).ConfigureAwait(false);
        var servers = await ledger.GetServersAsync(model.ContentId, cancellationToken).ConfigureAwait(false);
        var executor = servers.FirstOrDefault(s => s.Hotkey != verifier.Hotkey)
            ?? throw new InvalidOperationException($"no inference node other than {verifier.Hotkey} serves the model");
        using var decoy = KeyPair.Generate();
        var inputHash = TensorHash.Compute(inputs);
        for (var attempt = 0; attempt < MaxDecoyTries; attempt++)
        {
            var request = new InferenceRequest(
                decoy.Address,
                identity.Address,
                model.ContentId,
                inputHash,
                VerificationMode.Full,
                parameters.MaximumFee(model.Price, VerificationMode.Full),
                head.Height,
                head.Hash,
                BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8))
            );
            var requestId = request.Id(identity.ChainId);
            var ticket = DrawTicket.Create(identity.ChainId, requestId, identity.Key);
            var drawn = await ledger
                .SelectVerifiersAsync(
                    requestId,
                    head.Height,
                    ticket,
                    VerificationMode.Full,
                    executor.Hotkey,
                    cancellationToken
                )
                .ConfigureAwait(false);
            if (drawn.Any(v => v.Hotkey == verifier.Hotkey))
                return (
                    SignedInferenceRequest.Create(identity.ChainId, request, decoy),
                    requestId,
                    executor.Hotkey,
                    ticket
                );
        }
        throw new InvalidOperationException(
            $"no decoy request in {MaxDecoyTries} tries drew verifier {verifier.Hotkey}"
        );
    }

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
            Message = "Audit of verifier {Hotkey}: passed (it found the planted mismatch)"
        )]
        public static partial void Passed(ILogger logger, string hotkey);

        [LoggerMessage(
            Level = LogLevel.Warning,
            Message = "Audit of verifier {Hotkey}: it attested a match to a planted wrong output; reporting it"
        )]
        public static partial void Caught(ILogger logger, string hotkey);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Audit of verifier {Hotkey} failed: {Reason}")]
        public static partial void AuditFailed(ILogger logger, string hotkey, string reason);
    }
}

/// <summary>
/// What an audit found: whether the verifier passed, whether it had committed (executed), and when it failed the
/// report and dispute transactions and the dispute's id (the hash of the reported attestation; GET /v1/disputes/{id}).
/// </summary>
internal sealed record AuditOutcome(
    Address Verifier,
    bool Passed,
    bool Committed,
    LedgerSubmission? Report,
    LedgerSubmission? Resolution,
    Hash256? DisputeId = null
);
