using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Blocks;
using Veritensor.Ledger.Chain;
using Veritensor.Ledger.Genesis;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Tests;

/// <summary>A fixed genesis and three fixed blocks, whose resulting hashes are pinned.</summary>
[UnitTest]
public sealed class GoldenChainTests
{
    // These constants pin the consensus format: the canonical encoding of transactions and headers, the signing
    // domains, the state key layout and value encodings, and the state tree's hashing. If one changes, the consensus
    // format changed and every existing chain is incompatible: change them only together with a deliberate format change.
    // Last changed by inference format version 2: the verifier index is 256 buckets by the first byte of the hotkey
    // (StateKeys.VerifierIndexBucket) and holds only verifiers with the minimum stake, so block 2's registration of
    // charlie-node (unstaked) no longer writes it. The genesis hash is unchanged.
    // Then by transaction format v2: a transaction signs the genesis hash (veritensor/tx/v2), so the transaction root and
    // the block hash changed; the state root did not. And by the stake rules against just-in-time stake and emission
    // farming: an AddStake writes a fresh-stake entry (StateKeys.FreshStakeNamespace) and a neuron registration a
    // per-hotkey subnet count (StateKeys.HotkeySubnetCountNamespace), so the state root changed as well. And by the
    // resource charges: the chain parameters encode byteFee and stateByteFee, so the genesis hash changed too. And by
    // the verifier index of one slot per verifier (StateKeys.VerifierCount, VerifierSlot, VerifierPosition) in place of
    // the 256 buckets, with the stake each is indexed with and the index's changes of the anchor window
    // (StateKeys.VerifierChanges, VerifierHistory), so the state root and block hash changed; the genesis hash did not.
    private const string GoldenGenesisHash = "ecb26aa1a6911dd70165a12be105ac08d3aea3ea7373b93654cca1232b07c39e";
    private const string GoldenStateRoot = "cbf41426ffc4cfe29ff6df1e7c973986d7afd477c3094fd22b174a4c0500a0be";
    private const string GoldenBlockHash = "4298d3124db37f36f9c260b5069ff1bd97631505f0c03dd6b7adb9c10f3a3635";

    private const string ChainId = "veritensor-golden";
    private const long GenesisTime = 1_735_689_600_000; // 2025-01-01T00:00:00Z
    private static readonly KeyPair Alice = KeyPair.FromDevelopmentName("alice");
    private static readonly KeyPair Bob = KeyPair.FromDevelopmentName("bob");
    private static readonly KeyPair Charlie = KeyPair.FromDevelopmentName("charlie");
    private static readonly KeyPair Validator = KeyPair.FromDevelopmentName("validator");
    private static readonly KeyPair CharlieNode = KeyPair.FromDevelopmentName("charlie-node");
    private static readonly Amount Fee = new(100_000);

    private static GenesisDocument Genesis() =>
        new()
        {
            ChainId = ChainId,
            Timestamp = GenesisTime,
            Parameters = new GenesisParameters
            {
                MinFee = "0.0001",
                MaxTransactionBytes = 4096,
                MaxBlockTransactions = 10_000,
            },
            Balances =
            [
                new() { Address = Alice.Address.ToString(), Amount = "1000" },
                new() { Address = Bob.Address.ToString(), Amount = "500.5" },
                new() { Address = Charlie.Address.ToString(), Amount = "250" },
            ],
            Validators =
            [
                new()
                {
                    Hotkey = Validator.Address.ToString(),
                    Coldkey = Alice.Address.ToString(),
                    Endpoint = "http://127.0.0.1:7100",
                    Stake = "100",
                },
            ],
        };

    private static (long Timestamp, SignedTransaction[] Transactions)[] Blocks() =>
        [
            (
                GenesisTime + 6_000,
                [
                    Sign(Alice, 0, new TransferPayload(Bob.Address, Amount.ParseTokens("10"))),
                    Sign(
                        Bob,
                        0,
                        new StakePayload(TransactionKind.AddStake, Validator.Address, Amount.ParseTokens("50"))
                    ),
                ]
            ),
            (
                GenesisTime + 12_000,
                [
                    Sign(
                        Charlie,
                        0,
                        RegisterNodePayload.Create(
                            ChainId,
                            Charlie.Address,
                            CharlieNode,
                            NodeRoles.Inference | NodeRoles.Verifier,
                            "https://charlie.example:8443"
                        )
                    ),
                    Sign(
                        Alice,
                        1,
                        new StakePayload(TransactionKind.AddStake, CharlieNode.Address, Amount.ParseTokens("25"))
                    ),
                ]
            ),
            (
                GenesisTime + 18_000,
                [
                    Sign(
                        Bob,
                        1,
                        new StakePayload(TransactionKind.RemoveStake, Validator.Address, Amount.ParseTokens("20"))
                    ),
                    Sign(Charlie, 1, new TransferPayload(Alice.Address, Amount.ParseTokens("1.5"))),
                ]
            ),
        ];

    private static SignedTransaction Sign(KeyPair sender, ulong nonce, TransactionPayload payload) =>
        new Transaction(ChainId, GenesisHash, sender.Address, nonce, Fee, payload).Sign(sender);

    private static readonly Hash256 GenesisHash = Blockchain.GenesisHashOf(Genesis());

    private static Block[] ProduceAll(TestChain test)
    {
        return Blocks()
            .Select(b =>
            {
                var block = test.Chain.Produce(
                    Validator,
                    b.Timestamp,
                    b.Transactions.Select(VerifiedTransaction.Verify).ToArray(),
                    out var rejected
                );
                Assert.Empty(rejected);
                return block;
            })
            .ToArray();
    }

    [Fact]
    public void The_golden_chain_reaches_the_pinned_state_root_and_block_hash()
    {
        using var test = new TestChain(Genesis());
        Assert.Equal(GoldenGenesisHash, test.Chain.GenesisHash.ToString());
        var blocks = ProduceAll(test);

        Assert.Equal(3UL, test.Chain.Head.Height);
        Assert.Equal(GoldenStateRoot, test.Chain.Head.StateRoot.ToString());
        Assert.Equal(GoldenBlockHash, test.Chain.Head.Hash.ToString());
        Assert.Equal(GoldenBlockHash, blocks[^1].Hash.ToString());
    }

    [Fact]
    public void The_golden_chain_ends_with_the_balances_and_stakes_worked_out_by_hand()
    {
        using var test = new TestChain(Genesis());
        ProduceAll(test);
        var chain = test.Chain;
        // alice: 1000 - 10 - 25 + 1.5 - 2 fees; bob: 500.5 + 10 - 50 + 20 - 2 fees; charlie: 250 - 1.5 - 2 fees.
        Assert.Equal(new AccountState(Amount.ParseTokens("966.4998"), 2), chain.GetAccount(Alice.Address));
        Assert.Equal(new AccountState(Amount.ParseTokens("480.4998"), 2), chain.GetAccount(Bob.Address));
        Assert.Equal(new AccountState(Amount.ParseTokens("248.4998"), 2), chain.GetAccount(Charlie.Address));
        Assert.Equal(new AccountState(Amount.ParseTokens("0.0006"), 0), chain.GetAccount(Validator.Address));
        chain.ReadState(view =>
        {
            Assert.Equal(Amount.ParseTokens("100"), view.GetStake(Alice.Address, Validator.Address));
            Assert.Equal(Amount.ParseTokens("30"), view.GetStake(Bob.Address, Validator.Address));
            Assert.Equal(Amount.ParseTokens("25"), view.GetStake(Alice.Address, CharlieNode.Address));
            Assert.Equal(Amount.ParseTokens("130"), view.GetHotkeyStake(Validator.Address));
            Assert.Equal(Amount.ParseTokens("25"), view.GetHotkeyStake(CharlieNode.Address));
            Assert.Equal(
                new NodeRecord(
                    Charlie.Address,
                    NodeRoles.Inference | NodeRoles.Verifier,
                    "https://charlie.example:8443",
                    2
                ),
                view.GetNode(CharlieNode.Address)
            );
            Assert.Equal(Amount.ParseTokens("1850.5"), view.GetTotalIssuance());
            return 0;
        });
    }

    [Fact]
    public void A_second_node_importing_the_produced_blocks_reaches_the_same_head_and_state_root()
    {
        using var producer = new TestChain(Genesis());
        using var follower = new TestChain(Genesis());
        Assert.Equal(producer.Chain.GenesisHash, follower.Chain.GenesisHash);
        foreach (var block in ProduceAll(producer))
        {
            follower.Chain.Import(block);
            Assert.Equal(block.Hash, follower.Chain.Head.Hash);
            Assert.Equal(block.Header.StateRoot, follower.Chain.Head.StateRoot);
        }
        Assert.Equal(producer.Chain.Head.Hash, follower.Chain.Head.Hash);
        Assert.Equal(producer.Chain.Head.StateRoot, follower.Chain.Head.StateRoot);
        foreach (var key in new[] { Alice, Bob, Charlie, Validator })
            Assert.Equal(producer.Chain.GetAccount(key.Address), follower.Chain.GetAccount(key.Address));

        // The follower's state survives a restart and still matches (Open re-checks the state root).
        follower.Reopen();
        Assert.Equal(producer.Chain.Head.Hash, follower.Chain.Head.Hash);
    }

    [Fact]
    public void Blocks_read_back_from_the_store_import_like_the_originals()
    {
        using var producer = new TestChain(Genesis());
        using var follower = new TestChain(Genesis());
        ProduceAll(producer);
        for (ulong height = 1; height <= 3; height++)
        {
            var stored = producer.Chain.Store.ReadBlock(height)!;
            follower.Chain.Import(stored);
        }
        Assert.Equal(GoldenBlockHash, follower.Chain.Head.Hash.ToString());
    }
}
