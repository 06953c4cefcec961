using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Inference;

/// <summary>
/// A user's request to run <see cref="ModelId"/> (the model's content id) on the input whose hash is
/// <see cref="InputHash"/>, paying at most <see cref="MaxFee"/>, through <see cref="Gateway"/>: the only account that may
/// record it on the ledger (so neither the user nor the executor can record it first and skip the verifiers).
/// <see cref="AnchorHeight"/> names a recent block whose hash goes into the verifier draw together with the gateway's
/// draw ticket (<see cref="DrawTicket"/>), which nobody but the gateway can compute, so a user cannot grind the draw
/// with <see cref="Nonce"/>; the nonce lets a user send the same input twice as distinct requests.
/// <see cref="AnchorHash"/> is that block's hash: it commits the request to this chain's history back to genesis, so a
/// request signed on one chain cannot be recorded on another that reuses its name (the ledger compares it).
/// </summary>
public sealed record InferenceRequest(
    Address User,
    Address Gateway,
    Hash256 ModelId,
    Hash256 InputHash,
    VerificationMode Mode,
    Amount MaxFee,
    ulong AnchorHeight,
    Hash256 AnchorHash,
    ulong Nonce
)
{
    private static readonly byte[] Domain = "veritensor/inference-request/v3"u8.ToArray();

    public void Write(CanonicalWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer
            .WriteAddress(User)
            .WriteAddress(Gateway)
            .WriteHash(ModelId)
            .WriteHash(InputHash)
            .WriteU8((byte)Mode)
            .WriteAmount(MaxFee)
            .WriteU64(AnchorHeight)
            .WriteHash(AnchorHash)
            .WriteU64(Nonce);
    }

    public static InferenceRequest Read(ref CanonicalReader reader)
    {
        var user = reader.ReadAddress("request.user");
        var gateway = reader.ReadAddress("request.gateway");
        var model = reader.ReadHash("request.modelId");
        var input = reader.ReadHash("request.inputHash");
        var modeByte = reader.ReadU8("request.mode");
        if (modeByte > (byte)VerificationMode.Full)
            throw new CanonicalEncodingException(
                $"request.mode {modeByte} is not a verification mode (0 none, 1 sampled, 2 full)."
            );
        return new InferenceRequest(
            user,
            gateway,
            model,
            input,
            (VerificationMode)modeByte,
            reader.ReadAmount("request.maxFee"),
            reader.ReadU64("request.anchorHeight"),
            reader.ReadHash("request.anchorHash"),
            reader.ReadU64("request.nonce")
        );
    }

    /// <summary>What the user's coldkey signs.</summary>
    public byte[] SigningMessage(string chainId)
    {
        var writer = InferenceSigning.Begin(Domain, chainId);
        Write(writer);
        return writer.ToArray();
    }

    /// <summary>The request id: SHA-256 of the signing message, so it also commits to the chain.</summary>
    public Hash256 Id(string chainId) => Hash256.Compute(SigningMessage(chainId));
}

/// <summary>A request with the user's signature: the user's authorisation to be charged up to <see cref="InferenceRequest.MaxFee"/>.</summary>
public sealed record SignedInferenceRequest(InferenceRequest Request, Signature UserSignature)
{
    public static SignedInferenceRequest Create(string chainId, InferenceRequest request, KeyPair user)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(user);
        if (user.Address != request.User)
            throw new ArgumentException("The key does not belong to the request's user.", nameof(user));
        return new SignedInferenceRequest(request, user.Sign(request.SigningMessage(chainId)));
    }

    public Hash256 Id(string chainId) => Request.Id(chainId);

    public bool Verify(string chainId) => Request.User.Verify(Request.SigningMessage(chainId), UserSignature);

    public void Write(CanonicalWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Request.Write(writer);
        writer.WriteSignature(UserSignature);
    }

    public static SignedInferenceRequest Read(ref CanonicalReader reader) =>
        new(InferenceRequest.Read(ref reader), reader.ReadSignature("request.userSignature"));

    public byte[] Encode()
    {
        var writer = new CanonicalWriter(224);
        Write(writer);
        return writer.ToArray();
    }

    public static SignedInferenceRequest Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new CanonicalReader(bytes);
        var value = Read(ref reader);
        reader.EnsureEnd("signed inference request");
        return value;
    }
}
