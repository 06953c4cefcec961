using Veritensor.Ledger.Chain;
using Veritensor.Ledger.Sqlite;
using Veritensor.Ledger.Storage;
using Veritensor.Ledger.Tests.Support;

namespace Veritensor.Ledger.Tests;

/// <summary>
/// The Yuma epoch and its emission are part of the state machine: every way of opening a chain (the public
/// <see cref="Blockchain.Open(IChainStore, Genesis.GenesisDocument)"/> that the node, the CLI and the benchmarks use,
/// a restart from the same database, a node that imports the blocks, a chain on the in-memory store) runs it and
/// reaches the same pinned state root.
/// </summary>
[UnitTest]
public sealed class EpochInStateMachineTests
{
    // The state root after block 360 of the chain below: a subnet with one neuron, past its first epoch (block 359).
    // It changes only with a deliberate change of the consensus format or of the epoch's rules.
    // Last changed by the emission rules (the subnet emission state records the backing the epoch measured) and the
    // resource charges (the chain parameters encode byteFee and stateByteFee).
    private const string GoldenRootAfterFirstEpoch = "46fc118ee3dc35d247e6b533b2c2ec141c9db327461f10a8a5c264719caf5ce2";

    [Fact]
    public void Every_way_of_opening_a_chain_runs_the_epoch_and_reproduces_the_golden_state_root()
    {
        using var produced = new TestChain();
        produced.Produce(Tx.CreateSubnet(Keys.Alice, 0));
        produced.Produce(Tx.RegisterNeuron(Keys.Alice, Keys.NodeA, 1, 1));
        while (produced.Chain.Head.Height < 358)
            produced.Produce();
        var ownerBefore = produced.Chain.GetAccount(Keys.Alice.Address).Balance;
        while (produced.Chain.Head.Height < 360)
            produced.Produce();

        // The epoch ran at block 359 and paid the subnet owner its cut of the emission accrued since the subnet began.
        Assert.True(
            produced.Chain.GetAccount(Keys.Alice.Address).Balance > ownerBefore,
            "the epoch paid the subnet owner nothing"
        );
        Assert.Equal(GoldenRootAfterFirstEpoch, produced.Chain.Head.StateRoot.ToString());

        // A restart from the same database rebuilds the same state (and checks it against the head's root).
        Assert.Equal(GoldenRootAfterFirstEpoch, produced.Reopen().Head.StateRoot.ToString());

        // A node that imports the blocks, opened through the public entry point, computes the same roots block by block.
        using var directory = new TestDirectory("veritensor-epoch-import");
        using var imported = Blockchain.Open(
            new SqliteChainStore(Path.Combine(directory.Path, "chain.db")),
            produced.Genesis
        );
        for (var height = 1UL; height <= 360; height++)
        {
            var block = produced.Chain.Store.ReadBlock(height)!;
            imported.Import(block);
            Assert.Equal(block.Header.StateRoot, imported.Head.StateRoot);
        }
        Assert.Equal(GoldenRootAfterFirstEpoch, imported.Head.StateRoot.ToString());

        // The rules reference no storage engine: the in-memory store behind the same interface reaches the same root.
        using var inMemory = Blockchain.Open(new InMemoryChainStore(), produced.Genesis);
        for (var height = 1UL; height <= 360; height++)
            inMemory.Import(produced.Chain.Store.ReadBlock(height)!);
        Assert.Equal(GoldenRootAfterFirstEpoch, inMemory.Head.StateRoot.ToString());
        Assert.Equal(produced.Chain.Store.ReadBlock(200)!.Hash, inMemory.Store.ReadBlock(200)!.Hash);
    }
}
