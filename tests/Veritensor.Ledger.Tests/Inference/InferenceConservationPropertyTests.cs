using Veritensor.Core.Crypto;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;
using static Veritensor.Ledger.Tests.Support.InferenceWorld;

namespace Veritensor.Ledger.Tests.Inference;

/// <summary>
/// Random (seeded) inference traffic: records of every mode with random verdicts (so some open disputes), some of them
/// broken, batched or not, reports of false matches, resolutions with random votes and expiries (a dispute window of 3
/// blocks, so some come too early and some succeed). After every transaction, applied
/// or rejected, balances + stakes + open escrow equal what they were: no token is created or destroyed.
/// </summary>
[UnitTest]
public sealed class InferenceConservationPropertyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Fees_escrow_slashes_and_payouts_conserve_every_token(int seed)
    {
        var world = new InferenceWorld(verifierCount: 7, inference: new Genesis.GenesisInference { DisputeWindow = 3 });
        var random = new Random(seed);
        var supply = world.Supply();
        var open = new List<Hash256>();
        var applied = 0;
        var disputesResolved = 0;
        var disputesExpired = 0;
        ulong nonce = 0;
        for (var step = 0; step < 60; step++)
        {
            world.Height = 10 + (ulong)step;
            TransactionPayload payload;
            var choice = random.Next(10);
            if (choice < 6)
            {
                var records = Enumerable
                    .Range(0, random.Next(1, 3))
                    .Select(_ =>
                    {
                        var mode = (VerificationMode)random.Next(3);
                        var record = world.Record(
                            Request(mode, nonce++, anchor: world.Height - 1 - (ulong)random.Next(3)),
                            _ => random.Next(4) == 0 ? AttestationVerdict.Mismatch : AttestationVerdict.Match
                        );
                        return random.Next(12) == 0
                            ? record with
                            {
                                Attestations = [.. record.Attestations.Reverse(), .. record.Attestations],
                            }
                            : record;
                    })
                    .ToArray();
                payload = new RecordInferencePayload(records, random.Next(2) == 0);
                foreach (var r in records.Where(r => r.Attestations.Any(a => a.Verdict == AttestationVerdict.Mismatch)))
                    open.Add(r.Request.Id(ChainId));
            }
            else if (choice < 7)
            {
                // The audited request is recorded first (by the reporter, its gateway), then its planted output reported.
                var report = world.Audited(Verifiers[random.Next(7)], 100_000 + (ulong)step);
                Assert.Equal(supply, world.Supply());
                payload = report;
                open.Add(report.Evidence.Hash());
            }
            else if (choice < 8 && open.Count > 0)
            {
                var id = open[random.Next(open.Count)];
                if (world.State.GetDispute(id) is not { } dispute)
                    continue;
                var quorum = world.Quorum(id);
                payload = new ResolveDisputePayload(
                    id,
                    quorum
                        .Select(v =>
                            Vote(
                                dispute.RequestId,
                                random.Next(2) == 0 ? AttestationVerdict.Match : AttestationVerdict.Mismatch,
                                KeyOf(v),
                                dispute.DisputedOutputHash
                            )
                        )
                        .ToArray()
                );
            }
            else if (open.Count > 0)
                payload = new ExpireDisputePayload(open[random.Next(open.Count)]);
            else
                continue;

            var sender = payload is ReportAttestationPayload ? Reporter : Keys.Bob;
            try
            {
                world.Run(sender, payload);
                applied++;
                if (payload is ResolveDisputePayload)
                    disputesResolved++;
                if (payload is ExpireDisputePayload)
                    disputesExpired++;
            }
            catch (LedgerException)
            {
                // Rejected: it must have changed nothing, which the supply check below covers for tokens.
            }
            Assert.Equal(supply, world.Supply());
        }
        Assert.True(applied > 20, $"only {applied} transactions applied");
        Assert.True(disputesResolved > 0, "no dispute was resolved");
        Assert.True(disputesExpired > 0, "no dispute expired");
    }
}
