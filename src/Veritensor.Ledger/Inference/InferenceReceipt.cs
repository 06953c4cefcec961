using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Inference;

/// <summary>
/// The executor's signed statement that it ran <see cref="ModelId"/> on <see cref="InputHash"/> for request
/// <see cref="RequestId"/> and got the output hashing to <see cref="OutputHash"/>, under the execution profile
/// <see cref="ProfileHash"/> (runtime, provider, threads). Signed by the executor node's hotkey.
/// </summary>
public sealed record InferenceReceipt(
    Hash256 RequestId,
    Hash256 ModelId,
    Hash256 InputHash,
    Hash256 OutputHash,
    Hash256 ProfileHash,
    ulong TimestampMs,
    Address Executor,
    Signature Signature
)
{
    private static readonly byte[] Domain = "veritensor/receipt/v1"u8.ToArray();

    /// <summary>The rule "this receipt is about this request": the name of the first field that differs, or null when none does.</summary>
    public string? SubjectMismatch(Hash256 requestId, Hash256 modelId, Hash256 inputHash) =>
        RequestId != requestId ? "requestId"
        : ModelId != modelId ? "modelId"
        : InputHash != inputHash ? "inputHash"
        : null;

    public static InferenceReceipt Create(
        string chainId,
        Hash256 requestId,
        Hash256 modelId,
        Hash256 inputHash,
        Hash256 outputHash,
        Hash256 profileHash,
        ulong timestampMs,
        KeyPair executor
    )
    {
        ArgumentNullException.ThrowIfNull(executor);
        var unsigned = new InferenceReceipt(
            requestId,
            modelId,
            inputHash,
            outputHash,
            profileHash,
            timestampMs,
            executor.Address,
            Signature.Empty
        );
        return unsigned with { Signature = executor.Sign(unsigned.SigningMessage(chainId)) };
    }

    public byte[] SigningMessage(string chainId)
    {
        var writer = InferenceSigning.Begin(Domain, chainId);
        WriteFields(writer);
        return writer.ToArray();
    }

    public bool Verify(string chainId) => Executor.Verify(SigningMessage(chainId), Signature);

    public void Write(CanonicalWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteFields(writer);
        writer.WriteSignature(Signature);
    }

    private void WriteFields(CanonicalWriter writer) =>
        writer
            .WriteHash(RequestId)
            .WriteHash(ModelId)
            .WriteHash(InputHash)
            .WriteHash(OutputHash)
            .WriteHash(ProfileHash)
            .WriteU64(TimestampMs)
            .WriteAddress(Executor);

    public static InferenceReceipt Read(ref CanonicalReader reader) =>
        new(
            reader.ReadHash("receipt.requestId"),
            reader.ReadHash("receipt.modelId"),
            reader.ReadHash("receipt.inputHash"),
            reader.ReadHash("receipt.outputHash"),
            reader.ReadHash("receipt.profileHash"),
            reader.ReadU64("receipt.timestampMs"),
            reader.ReadAddress("receipt.executor"),
            reader.ReadSignature("receipt.signature")
        );

    public byte[] Encode()
    {
        var writer = new CanonicalWriter(272);
        Write(writer);
        return writer.ToArray();
    }

    public static InferenceReceipt Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new CanonicalReader(bytes);
        var value = Read(ref reader);
        reader.EnsureEnd("receipt");
        return value;
    }
}
