using Microsoft.Data.Sqlite;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Blocks;
using Veritensor.Ledger.Chain;
using Veritensor.Ledger.Genesis;
using Veritensor.Ledger.Sqlite;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Tests.Support;

namespace Veritensor.Ledger.Tests;

[UnitTest]
public sealed class StorageTests
{
    private static Block[] ProduceThree(TestChain test) =>
        [
            test.Produce(
                Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(10), 0),
                Tx.Register(Keys.Charlie, Keys.NodeA, 0)
            ),
            test.Produce(Tx.AddStake(Keys.Bob, Keys.NodeA.Address, Tx.Tokens(7), 0)),
            test.Produce(
                Tx.Transfer(Keys.Alice, Keys.Dave.Address, Tx.Tokens(2), 1),
                Tx.Transfer(Keys.Charlie, Keys.Dave.Address, Tx.Tokens(3), 1)
            ),
        ];

    [Fact]
    public void Reopening_the_same_file_with_the_same_genesis_restores_head_state_and_accounts()
    {
        using var test = new TestChain();
        var blocks = ProduceThree(test);
        var head = test.Chain.Head;
        var accounts = new[] { Keys.Alice, Keys.Bob, Keys.Charlie, Keys.Dave, Keys.Validator }.ToDictionary(
            k => k.Address,
            k => test.Chain.GetAccount(k.Address)
        );
        var genesisHash = test.Chain.GenesisHash;

        var reopened = test.Reopen();

        Assert.Equal(head, reopened.Head);
        Assert.Equal(head.Hash, reopened.Head.Hash);
        Assert.Equal(head.StateRoot, reopened.Head.StateRoot);
        Assert.Equal(genesisHash, reopened.GenesisHash);
        foreach (var (address, account) in accounts)
            Assert.Equal(account, reopened.GetAccount(address));
        Assert.Equal(Tx.Tokens(7), reopened.ReadState(v => v.GetHotkeyStake(Keys.NodeA.Address)));
        Assert.Equal(Keys.Charlie.Address, reopened.ReadState(v => v.GetNode(Keys.NodeA.Address))!.Owner);

        // The reopened chain carries on from where it stopped.
        var next = test.Produce(Tx.Transfer(Keys.Dave, Keys.Alice.Address, Tx.Tokens(1), 0));
        Assert.Equal(4UL, next.Height);
        Assert.Equal(blocks[^1].Hash, next.Header.ParentHash);
    }

    [Fact]
    public void Blocks_read_back_by_height_and_by_hash_equal_the_committed_ones()
    {
        using var test = new TestChain();
        var blocks = ProduceThree(test);
        test.Reopen();
        foreach (var block in blocks)
        {
            foreach (
                var stored in new[]
                {
                    test.Chain.Store.ReadBlock(block.Height)!,
                    test.Chain.Store.ReadBlock(block.Hash)!,
                }
            )
            {
                Assert.Equal(block.Header, stored.Header);
                Assert.Equal(block.Signature, stored.Signature);
                Assert.Equal(block.Transactions.Select(t => t.Encoded), stored.Transactions.Select(t => t.Encoded));
            }
        }
        var genesis = test.Chain.Store.ReadBlock(0)!;
        Assert.Equal(test.Chain.GenesisHash, genesis.Hash);
        Assert.Empty(genesis.Transactions);
        Assert.Null(test.Chain.Store.ReadBlock(4));
        Assert.Null(test.Chain.Store.ReadBlock(Hash256.Compute([1])));
    }

    [Fact]
    public void Reopening_with_a_different_genesis_is_refused_naming_both_genesis_hashes()
    {
        using var test = new TestChain();
        ProduceThree(test);
        var storedGenesis = test.Chain.GenesisHash;
        test.Chain.Dispose();

        var other = TestChain.DefaultGenesis();
        other.Balances[0].Amount = "1001";
        var otherHash = GenesisState.Build(other).Block.Hash;
        using var store = new SqliteChainStore(test.DatabasePath);
        var e = Assert.Throws<GenesisException>(() => Blockchain.Open(store, other));
        Assert.Contains(storedGenesis.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains(otherHash.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Equal(storedGenesis, store.GenesisHash);
        Assert.Equal(3UL, store.ReadHead()!.Height);
    }

    [Fact]
    public void Reopening_a_store_whose_state_was_altered_is_refused()
    {
        using var test = new TestChain();
        ProduceThree(test);
        test.Chain.Dispose();
        using (var connection = new SqliteConnection($"Data Source={test.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE state SET value = $value WHERE key = $key";
            command.Parameters.AddWithValue("$key", StateKeys.Account(Keys.Dave.Address));
            command.Parameters.AddWithValue("$value", new AccountState(Tx.Tokens(1_000_000), 0).Encode());
            Assert.Equal(1, command.ExecuteNonQuery());
        }
        using var store = new SqliteChainStore(test.DatabasePath);
        var e = Assert.Throws<InvalidOperationException>(() => Blockchain.Open(store, test.Genesis));
        Assert.Contains("damaged", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_store_has_no_genesis_and_no_head()
    {
        using var dir = new TestChain();
        using var store = new SqliteChainStore(Path.Combine(dir.Directory, "empty.db"));
        Assert.Null(store.GenesisHash);
        Assert.Null(store.ReadHead());
        Assert.Empty(store.ReadAllState());
    }

    [Fact]
    public void Included_transactions_are_found_with_their_block_position_and_bytes()
    {
        using var test = new TestChain();
        var blocks = ProduceThree(test);
        test.Reopen();
        foreach (var block in blocks)
        {
            for (var i = 0; i < block.Transactions.Count; i++)
            {
                var tx = block.Transactions[i];
                var location = test.Chain.Store.FindTransaction(tx.Id);
                Assert.NotNull(location);
                Assert.Equal(block.Height, location.Height);
                Assert.Equal(i, location.Index);
                Assert.Equal(block.Hash, location.BlockHash);
                Assert.Equal(tx.Encoded, location.Encoded);
            }
        }
        Assert.Null(test.Chain.Store.FindTransaction(Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(10), 9).Id));
        Assert.Null(test.Chain.Store.FindTransaction(Hash256.Zero));
    }

    [Fact]
    public void Scanning_a_namespace_returns_exactly_its_entries_in_key_order()
    {
        using var test = new TestChain();
        ProduceThree(test);
        var accounts = test.Chain.Store.ScanState([StateKeys.AccountNamespace], 100);
        var expected = new[] { Keys.Alice, Keys.Bob, Keys.Charlie, Keys.Dave, Keys.Validator }
            .Select(k => StateKeys.Account(k.Address))
            .Order(ByteArrayComparer.Instance)
            .ToArray();
        Assert.Equal(expected, accounts.Select(e => e.Key));
        Assert.All(accounts, e => Assert.Equal(test.Chain.Store.ReadState(e.Key), e.Value));

        // Bob's stakes (one entry, on node A); the prefix of one coldkey's stakes.
        var bobStakes = test.Chain.Store.ScanState(StateKeys.StakesOf(Keys.Bob.Address), 100);
        Assert.Equal([StateKeys.Stake(Keys.Bob.Address, Keys.NodeA.Address)], bobStakes.Select(e => e.Key));
        Assert.Equal(2, test.Chain.Store.ScanState([StateKeys.AccountNamespace], 2).Count);
    }

    [Fact]
    public void Prefix_scans_stop_at_the_prefix_boundary_even_for_prefixes_ending_in_0xFF()
    {
        using var dir = new TestChain();
        using var store = new SqliteChainStore(Path.Combine(dir.Directory, "raw.db"));
        byte[][] keys =
        [
            [0x05],
            [0x05, 0x00],
            [0x05, 0xFF],
            [0x05, 0xFF, 0x00],
            [0x05, 0xFF, 0xFF],
            [0x05, 0xFF, 0xFF, 0x01],
            [0x06],
            [0x06, 0x00],
            [0xFF],
            [0xFF, 0x00],
            [0xFF, 0xFF],
            [0x04, 0xFF],
        ];
        var changes = keys.ToDictionary(k => k, k => (byte[]?)[(byte)k.Length], ByteArrayComparer.Instance);
        store.CommitBlock(GenesisState.Build(TestChain.DefaultGenesis()).Block, changes);

        byte[][] Scan(params byte[] prefix) => store.ScanState(prefix, 100).Select(e => e.Key).ToArray();

        Assert.Equal(
            [
                [0x05, 0xFF],
                [0x05, 0xFF, 0x00],
                [0x05, 0xFF, 0xFF],
                [0x05, 0xFF, 0xFF, 0x01],
            ],
            Scan(0x05, 0xFF)
        );
        Assert.Equal(
            [
                [0x05, 0xFF, 0xFF],
                [0x05, 0xFF, 0xFF, 0x01],
            ],
            Scan(0x05, 0xFF, 0xFF)
        );
        Assert.Equal(
            [
                [0xFF],
                [0xFF, 0x00],
                [0xFF, 0xFF],
            ],
            Scan(0xFF)
        );
        Assert.Equal(
            [
                [0xFF, 0xFF],
            ],
            Scan(0xFF, 0xFF)
        );
        Assert.Equal(
            [
                [0x05],
                [0x05, 0x00],
                [0x05, 0xFF],
                [0x05, 0xFF, 0x00],
                [0x05, 0xFF, 0xFF],
                [0x05, 0xFF, 0xFF, 0x01],
            ],
            Scan(0x05)
        );
        Assert.Equal(keys.Order(ByteArrayComparer.Instance), Scan());
        Assert.Empty(Scan(0x07));
    }

    [Fact]
    public void A_state_deletion_is_persisted()
    {
        using var test = new TestChain();
        test.Produce(Tx.AddStake(Keys.Bob, Keys.Validator.Address, Tx.Tokens(4), 0));
        Assert.NotNull(test.Chain.Store.ReadState(StateKeys.Stake(Keys.Bob.Address, Keys.Validator.Address)));
        test.Produce(Tx.RemoveStake(Keys.Bob, Keys.Validator.Address, Tx.Tokens(4), 1));
        Assert.Null(test.Chain.Store.ReadState(StateKeys.Stake(Keys.Bob.Address, Keys.Validator.Address)));
        var root = test.Chain.Head.StateRoot;
        Assert.Equal(root, test.Reopen().Head.StateRoot);
    }

    [Fact]
    public void The_store_holds_exactly_the_in_memory_state()
    {
        using var test = new TestChain();
        ProduceThree(test);
        var world = new WorldState();
        world.Apply(
            test.Chain.Store.ReadAllState().ToDictionary(e => e.Key, e => (byte[]?)e.Value, ByteArrayComparer.Instance)
        );
        Assert.Equal(test.Chain.Head.StateRoot, world.Root);
    }

    [Fact]
    public void A_state_snapshot_keeps_seeing_the_block_it_was_opened_at()
    {
        using var test = new TestChain();
        using var snapshot = test.Chain.Store.OpenStateSnapshot();
        var before = snapshot.GetAccount(Keys.Alice.Address);
        test.Produce(Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(5), 0));

        Assert.Equal(before, snapshot.GetAccount(Keys.Alice.Address));
        Assert.Equal(Tx.Tokens(TestChain.FundedTokens), snapshot.GetAccount(Keys.Alice.Address).Balance);
        using (var fresh = test.Chain.Store.OpenStateSnapshot())
            Assert.Equal(test.Chain.GetAccount(Keys.Alice.Address), fresh.GetAccount(Keys.Alice.Address));
        Assert.Throws<InvalidOperationException>(() =>
            snapshot.Set(StateKeys.Account(Keys.Alice.Address), new byte[16])
        );
    }
}
