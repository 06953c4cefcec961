using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Transactions;
using Veritensor.Node.Roles.Gateway;

namespace Veritensor.Node.Tests.Inference;

/// <summary>A batch larger than the ledger's transaction size limit is split into transactions that each fit.</summary>
[UnitTest]
public sealed class RecordChunkingTests
{
    [Fact]
    public void Chunks_keep_order_fit_the_limit_and_lose_no_record()
    {
        using var user = KeyPair.FromSeed(new byte[32]);
        using var executor = KeyPair.FromSeed(Enumerable.Repeat((byte)1, 32).ToArray());
        var records = Enumerable
            .Range(0, 50)
            .Select(i =>
            {
                var request = new InferenceRequest(
                    user.Address,
                    executor.Address,
                    Hash256.Compute([1]),
                    Hash256.Compute([2]),
                    VerificationMode.None,
                    Amount.FromTokens(1),
                    1,
                    Hash256.Compute([3]),
                    (ulong)i
                );
                var receipt = InferenceReceipt.Create(
                    "c",
                    request.Id("c"),
                    request.ModelId,
                    request.InputHash,
                    Hash256.Compute([3]),
                    Hash256.Compute([4]),
                    0,
                    executor
                );
                return new InferenceRecord(
                    SignedInferenceRequest.Create("c", request, user),
                    receipt,
                    DrawTicket.Create("c", request.Id("c"), executor),
                    []
                );
            })
            .ToArray();
        var recordSize = records[0].Encode().Length;
        var limit = 7 * recordSize + 8;

        var chunks = LedgerRecorder.Chunk(records, limit).ToArray();

        Assert.Equal(records, chunks.SelectMany(c => c));
        Assert.All(chunks, c =>
            Assert.True(new RecordInferencePayload(c, true).Records.Sum(r => r.Encode().Length) + 8 <= limit)
        );
        Assert.Equal(8, chunks.Length); // 7 per chunk: 7 full chunks and one of 1
        Assert.Single(chunks[^1]);
        // The payload's own record cap applies even when the size limit would allow more.
        Assert.All(LedgerRecorder.Chunk(records.Concat(records).Concat(records).ToArray(), int.MaxValue), c =>
            Assert.True(c.Length <= RecordInferencePayload.MaxRecords)
        );
    }
}
