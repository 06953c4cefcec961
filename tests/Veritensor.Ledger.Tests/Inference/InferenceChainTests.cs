using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Genesis;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;
using static Veritensor.Ledger.Tests.Support.InferenceWorld;

namespace Veritensor.Ledger.Tests.Inference;

/// <summary>Inference through a real <see cref="Chain.Blockchain"/>: anchors are read from committed blocks, and a follower importing the blocks agrees; genesis parameters.</summary>
[UnitTest]
public sealed class InferenceChainTests
{
    private static GenesisDocument Genesis(GenesisInference? inference = null)
    {
        var genesis = TestChain.DefaultGenesis();
        genesis.Inference = inference;
        foreach (var key in new[] { User, ExecutorCold }.Concat(VerifierColds.Take(3)))
            genesis.Balances.Add(new() { Address = key.Address.ToString(), Amount = "1000" });
        return genesis;
    }

    [Fact]
    public void A_record_anchored_to_a_committed_block_is_settled_and_a_follower_importing_the_blocks_agrees()
    {
        using var producer = new TestChain(Genesis());
        using var follower = new TestChain(Genesis());
        var setup = new List<SignedTransaction>
        {
            Tx.Register(ExecutorCold, Executor, 0, NodeRoles.Inference),
            Tx.AddStake(ExecutorCold, Executor.Address, Amount.FromTokens(50), 1),
            Tx.Sign(ModelOwner, 0, Publish("resnet", "1.0", ModelId)),
        };
        for (var i = 0; i < 3; i++)
        {
            setup.Add(Tx.Register(VerifierColds[i], Verifiers[i], 0, NodeRoles.Verifier));
            setup.Add(Tx.AddStake(VerifierColds[i], Verifiers[i].Address, Amount.FromTokens(50), 1));
        }
        var blocks = new List<Blocks.Block>
        {
            producer.Produce([.. setup]),
            producer.Produce(Tx.Sign(ExecutorCold, 2, new ServeModelPayload(Executor.Address, ModelId, true))),
        };

        var anchorHash = producer.Chain.BlockHashAt(1)!.Value;
        var request = Request(VerificationMode.Full, 1, anchor: 1) with { AnchorHash = anchorHash };
        var id = request.Id(ChainId);
        Assert.Equal(blocks[0].Hash, anchorHash);
        Assert.Equal(anchorHash, producer.Chain.BlockHashAt(1));
        Assert.Equal(
            (blocks[1].Hash, (Hash256?)null),
            (producer.Chain.BlockHashAt(2)!.Value, producer.Chain.BlockHashAt(3))
        );
        var ticket = DrawTicket.Create(ChainId, id, Gateway);
        var selected = producer.Chain.ReadState(view =>
            VerifierSelection.ForRequest(
                VerifierHistory.CandidatesAt(view, 1, producer.Chain.Head.Height + 1),
                new RequestDraw(id, anchorHash, ticket, Executor.Address, ExecutorCold.Address),
                VerificationMode.Full,
                view.GetInferenceParameters()
            )
        );
        Assert.Equal(2, selected.Count);
        var receipt = InferenceReceipt.Create(ChainId, id, ModelId, Input, Output, Profile, 1, Executor);
        var record = new InferenceRecord(
            SignedInferenceRequest.Create(ChainId, request, User),
            receipt,
            ticket,
            selected.Select(v => Attest(id, AttestationVerdict.Match, KeyOf(v))).ToArray()
        );
        blocks.Add(producer.Produce(Tx.Sign(Keys.Bob, 0, new RecordInferencePayload([record], true))));

        Assert.Equal(Amount.FromTokens(1000) - Price - Price - Price, producer.Chain.GetAccount(User.Address).Balance);
        var summary = producer.Chain.ReadState(view => view.GetInferenceRecord(id))!;
        Assert.Equal((3UL, blocks[2].Transactions[0].Id), (summary.Height, summary.TransactionId));

        foreach (var block in blocks)
            follower.Chain.Import(block);
        Assert.Equal(producer.Chain.Head.StateRoot, follower.Chain.Head.StateRoot);

        // Replay of the same record in a later block is rejected.
        producer.Produce([Tx.Sign(Keys.Bob, 1, new RecordInferencePayload([record], false))], out var rejected);
        Assert.Equal(ErrorCode.InferenceAlreadyRecorded, Assert.Single(rejected).Error.Code);
    }

    [Fact]
    public void A_genesis_without_an_inference_section_uses_the_defaults_and_stores_nothing()
    {
        using var test = new TestChain(Genesis());
        Assert.Equal(InferenceParameters.Default, test.Chain.ReadState(view => view.GetInferenceParameters()));
        Assert.Null(test.Chain.ReadState(view => view.Get(State.StateKeys.InferenceParameters)));
        Assert.Equal(
            (2000u, 7000u, 1000u, 10_000u, 2, 100_000u, 3, 1000u, Amount.FromTokens(10), 64UL, Amount.FromTokens(1)),
            (
                InferenceParameters.Default.OwnerShareBps,
                InferenceParameters.Default.ExecutorShareBps,
                InferenceParameters.Default.TreasuryShareBps,
                InferenceParameters.Default.VerificationFeeBps,
                InferenceParameters.Default.FullVerifiers,
                InferenceParameters.Default.SamplingRatePpm,
                InferenceParameters.Default.DisputeQuorum,
                InferenceParameters.Default.SlashBps,
                InferenceParameters.Default.MinNodeStake,
                InferenceParameters.Default.AnchorWindow,
                InferenceParameters.Default.ReportBond
            )
        );
    }

    [Fact]
    public void An_inference_section_is_parsed_from_json_stored_and_validated()
    {
        var json = Genesis()
            .ToJson()
            .Replace(
                "\"validators\"",
                "\"inference\": { \"slashBps\": 500, \"minNodeStake\": \"2.5\", \"samplingRatePpm\": 250000 },\n  \"validators\"",
                StringComparison.Ordinal
            );
        using var test = new TestChain(GenesisDocument.Parse(json));
        var parameters = test.Chain.ReadState(view => view.GetInferenceParameters());
        Assert.Equal(
            InferenceParameters.Default with
            {
                SlashBps = 500,
                MinNodeStake = Amount.ParseTokens("2.5"),
                SamplingRatePpm = 250_000,
            },
            parameters
        );

        var shares = Assert.Throws<GenesisException>(() =>
            GenesisState.Build(Genesis(new GenesisInference { OwnerShareBps = 3000 }))
        );
        Assert.Contains("ownerShareBps", shares.Message, StringComparison.Ordinal);
        var stake = Assert.Throws<GenesisException>(() =>
            GenesisState.Build(Genesis(new GenesisInference { MinNodeStake = "ten" }))
        );
        Assert.Contains("inference.minNodeStake", stake.Message, StringComparison.Ordinal);
        var quorum = Assert.Throws<GenesisException>(() =>
            GenesisState.Build(Genesis(new GenesisInference { DisputeQuorum = 0 }))
        );
        Assert.Contains("disputeQuorum", quorum.Message, StringComparison.Ordinal);
    }
}
