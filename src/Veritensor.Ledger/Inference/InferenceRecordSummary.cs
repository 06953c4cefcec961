using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Core.Encoding;

namespace Veritensor.Ledger.Inference;

/// <summary>
/// What the ledger keeps of a recorded inference, under its request id. <see cref="TransactionId"/> names the
/// transaction that carried it, so the full record (and, for a batch, the inclusion proof under
/// <see cref="BatchRoot"/> at <see cref="LeafIndex"/>) can be re-derived from the block.
/// </summary>
public sealed record InferenceRecordSummary(
    Address User,
    Hash256 ModelId,
    Address Executor,
    Hash256 OutputHash,
    VerificationMode Mode,
    int Matches,
    int Mismatches,
    Amount Fee,
    ulong Height,
    Hash256 TransactionId,
    InferenceRecordStatus Status,
    Hash256? BatchRoot,
    int LeafIndex
)
{
    public byte[] Encode()
    {
        var writer = new CanonicalWriter(256)
            .WriteAddress(User)
            .WriteHash(ModelId)
            .WriteAddress(Executor)
            .WriteHash(OutputHash)
            .WriteU8((byte)Mode)
            .WriteU8(checked((byte)Matches))
            .WriteU8(checked((byte)Mismatches))
            .WriteAmount(Fee)
            .WriteU64(Height)
            .WriteHash(TransactionId)
            .WriteU8((byte)Status)
            .WriteBool(BatchRoot is not null);
        if (BatchRoot is { } root)
            writer.WriteHash(root).WriteU32(checked((uint)LeafIndex));
        return writer.ToArray();
    }

    public static InferenceRecordSummary Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new CanonicalReader(bytes);
        var user = reader.ReadAddress("user");
        var model = reader.ReadHash("modelId");
        var executor = reader.ReadAddress("executor");
        var output = reader.ReadHash("outputHash");
        var mode = (VerificationMode)reader.ReadU8("mode");
        var matches = reader.ReadU8("matches");
        var mismatches = reader.ReadU8("mismatches");
        var fee = reader.ReadAmount("fee");
        var height = reader.ReadU64("height");
        var tx = reader.ReadHash("transactionId");
        var status = (InferenceRecordStatus)reader.ReadU8("status");
        Hash256? root = null;
        var leaf = 0;
        if (reader.ReadBool("batched"))
        {
            root = reader.ReadHash("batchRoot");
            leaf = checked((int)reader.ReadU32("leafIndex"));
        }
        reader.EnsureEnd("inference record summary");
        return new InferenceRecordSummary(
            user,
            model,
            executor,
            output,
            mode,
            matches,
            mismatches,
            fee,
            height,
            tx,
            status,
            root,
            leaf
        );
    }
}
