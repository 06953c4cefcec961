using Veritensor.Client;
using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Transactions;
using Veritensor.Tensors;

namespace Veritensor.Sdk;

/// <summary>
/// Checks a gateway's answer against the request the client signed and against the ledger, trusting neither
/// gateway nor executor: signatures, hashes, the executor's registration for the model, and that every
/// attestation comes from a registered verifier the ledger's rule drew for this request.
/// </summary>
public static class ResponseVerifier
{
    public static async Task<VerifiedInference> VerifyAsync(
        IInferenceLedger ledger,
        string chainId,
        SignedInferenceRequest signed,
        LedgerModel model,
        InferenceApiResponse response,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(signed);
        var request = signed.Request;
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(response);
        var requestId = request.Id(chainId);
        if (response.RequestId != requestId.ToString())
            Fail($"the answer is for request {response.RequestId}, not for the one signed ({requestId})");

        var receipt = Decode(response.Receipt?.Encoded, InferenceReceipt.Decode, "receipt");
        if (!receipt.Verify(chainId))
            Fail($"the receipt's signature does not verify for executor {receipt.Executor}: it is forged or altered");
        if (receipt.SubjectMismatch(requestId, model.ContentId, request.InputHash) is { } receiptField)
            Fail($"the receipt names another request, model or input than the one signed (its {receiptField} differs)");

        IReadOnlyList<NamedTensor> outputs;
        try
        {
            outputs = WireTensors.Decode(response.Outputs, model.Signature.Outputs, long.MaxValue, "outputs");
        }
        catch (ApiException e)
        {
            throw new InferenceVerificationException($"The gateway's outputs are malformed: {e.Message}");
        }
        if (TensorHash.Compute(outputs) != receipt.OutputHash)
            Fail("the outputs do not hash to the output hash the executor signed");

        var executor = await ledger.GetNodeAsync(receipt.Executor, cancellationToken).ConfigureAwait(false);
        if (executor is not { } e1 || !e1.Roles.HasFlag(NodeRoles.Inference))
            Fail($"the executor {receipt.Executor} is not a registered inference node");
        var servers = await ledger.GetServersAsync(model.ContentId, cancellationToken).ConfigureAwait(false);
        if (servers.All(s => s.Hotkey != receipt.Executor))
            Fail($"the executor {receipt.Executor} is not registered to serve model {model.Reference}");

        var attestations = response
            .Attestations.Select(a => Decode(a.Encoded, Attestation.Decode, "attestation"))
            .ToArray();
        var ticket = DecodeTicket(response.DrawTicket);
        if (!DrawTicket.Verify(chainId, requestId, ticket, request.Gateway))
            Fail($"the draw ticket is not signed by the gateway {request.Gateway} named in the request");
        IReadOnlyList<LedgerNode> drawn;
        try
        {
            drawn = await ledger
                .SelectVerifiersAsync(
                    requestId,
                    request.AnchorHeight,
                    ticket,
                    request.Mode,
                    receipt.Executor,
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        catch (NoEligibleVerifierException e)
        {
            throw new InferenceVerificationException($"The gateway's answer does not check out: {e.Message}");
        }
        var seen = new HashSet<Address>();
        foreach (var attestation in attestations)
        {
            if (!attestation.Verify(chainId))
                Fail(
                    $"the attestation of {attestation.Verifier} has a signature that does not verify: it is forged or altered"
                );
            if (!seen.Add(attestation.Verifier))
                Fail($"verifier {attestation.Verifier} attests twice");
            if (drawn.All(v => v.Hotkey != attestation.Verifier))
                Fail($"verifier {attestation.Verifier} was not drawn by the ledger for this request");
            if (
                attestation.SubjectMismatch(requestId, model.ContentId, request.InputHash, receipt.OutputHash) is
                { } field
            )
                Fail(
                    $"the attestation of {attestation.Verifier} is about another request or output (its {field} differs)"
                );
        }
        if (drawn.FirstOrDefault(v => !seen.Contains(v.Hotkey)) is { } absent)
            Fail($"the ledger draws verifier {absent.Hotkey} for this request, and its attestation is missing");
        bool? sampled = request.Mode == VerificationMode.Sampled ? drawn.Count > 0 : null;
        var state = await StateAsync(ledger, requestId, attestations, response.State, cancellationToken)
            .ConfigureAwait(false);
        if (!Core.Amount.TryParseTokens(response.Fee, out var fee, out _))
            Fail($"the fee '{response.Fee}' is not an amount");
        if (fee > request.MaxFee)
            Fail($"the fee {fee} exceeds the {request.MaxFee} the user authorised");
        return new VerifiedInference(
            signed,
            requestId,
            state,
            request.Mode,
            model,
            outputs,
            receipt,
            attestations,
            ticket,
            sampled,
            fee,
            response
        );
    }

    /// <summary>
    /// The state the evidence supports: disputed with a mismatch, verified with attestations, returned without; final
    /// only when the gateway says so and the ledger holds the record (with any dispute closed).
    /// </summary>
    private static async Task<string> StateAsync(
        IInferenceLedger ledger,
        Hash256 requestId,
        IReadOnlyList<Attestation> attestations,
        string claimed,
        CancellationToken cancellationToken
    )
    {
        var disputed = attestations.Any(a => a.Verdict == AttestationVerdict.Mismatch);
        if (claimed == InferenceStates.Final)
        {
            var record = await ledger.GetRecordAsync(requestId, cancellationToken).ConfigureAwait(false);
            if (record is null)
                Fail("the gateway says the request is final, but the ledger holds no record of it");
            if (!disputed || record.DisputeOutcome is { } outcome && outcome != "pending")
                return InferenceStates.Final;
        }
        return disputed ? InferenceStates.Disputed
            : attestations.Count > 0 ? InferenceStates.Verified
            : InferenceStates.Returned;
    }

    private static Signature DecodeTicket(string? ticketText)
    {
        if (ticketText is null)
            Fail("the answer has no draw ticket");
        try
        {
            return new Signature(Convert.FromBase64String(ticketText!));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new InferenceVerificationException("The draw ticket is not a base64 signature.");
        }
    }

    private delegate T Decoder<out T>(ReadOnlySpan<byte> bytes);

    private static T Decode<T>(string? base64, Decoder<T> decode, string what)
    {
        if (base64 is null)
            throw new InferenceVerificationException($"The answer has no {what}.");
        try
        {
            return decode(Convert.FromBase64String(base64));
        }
        catch (Exception e) when (e is FormatException or CanonicalEncodingException)
        {
            throw new InferenceVerificationException($"The {what} is malformed: {e.Message}");
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Fail(string reason) =>
        throw new InferenceVerificationException($"The gateway's answer does not check out: {reason}.");
}
