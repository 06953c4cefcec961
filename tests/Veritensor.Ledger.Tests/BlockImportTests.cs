using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Blocks;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Tests;

/// <summary>Chain A produces; chain B (same genesis, its own store) imports, and refuses anything tampered with.</summary>
[UnitTest]
public sealed class BlockImportTests : IDisposable
{
    private readonly TestChain _a = new();
    private readonly TestChain _b = new();

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    private Block ProduceOnA() =>
        _a.Produce(
            Tx.Transfer(
                Keys.Alice,
                Keys.Bob.Address,
                Tx.Tokens(10),
                _a.Chain.GetAccount(Keys.Alice.Address).Nonce,
                genesis: _a.Chain.GenesisHash
            ),
            Tx.AddStake(
                Keys.Bob,
                Keys.Validator.Address,
                Tx.Tokens(5),
                _a.Chain.GetAccount(Keys.Bob.Address).Nonce,
                genesis: _a.Chain.GenesisHash
            )
        );

    private static Block Resign(
        BlockHeader header,
        IReadOnlyList<SignedTransaction> transactions,
        KeyPair? proposer = null
    ) => Block.Sign(header, transactions, proposer ?? Keys.Validator);

    /// <summary>A header over <paramref name="transactions"/> with a correct root and count, otherwise like <paramref name="header"/>.</summary>
    private static BlockHeader Over(BlockHeader header, IReadOnlyList<SignedTransaction> transactions) =>
        header with
        {
            TransactionRoot = Block.ComputeTransactionRoot(transactions),
            TransactionCount = (uint)transactions.Count,
        };

    private static SignedTransaction WithBrokenSignature(SignedTransaction signed)
    {
        var bytes = (byte[])signed.Encoded.Clone();
        bytes[^1] ^= 0x01;
        return SignedTransaction.Decode(bytes, int.MaxValue);
    }

    public static TheoryData<string> Tamperings =>
        [
            "wrong parent",
            "wrong height",
            "height of the parent",
            "wrong chain id",
            "timestamp before parent",
            "bad proposer signature",
            "signature by another key",
            "wrong state root",
            "wrong transaction root",
            "wrong transaction count",
            "transaction with a bad signature",
            "transaction with a bad hotkey proof",
            "transaction that fails to execute",
            "extra transaction",
            "non-validator proposer",
            "registered node without the validator role as proposer",
        ];

    private Block Tamper(Block genuine, string how)
    {
        var header = genuine.Header;
        var txs = genuine.Transactions;
        var parent = _b.Chain.Head;
        return how switch
        {
            "wrong parent" => Resign(header with { ParentHash = Hash256.Compute([1, 2, 3]) }, txs),
            "wrong height" => Resign(header with { Height = header.Height + 1 }, txs),
            "height of the parent" => Resign(header with { Height = parent.Height }, txs),
            "wrong chain id" => Resign(header with { ChainId = "veritensor-other" }, txs),
            "timestamp before parent" => Resign(header with { Timestamp = parent.Timestamp - 1 }, txs),
            "bad proposer signature" => new Block(
                header,
                new Signature([.. genuine.Signature.Span[..^1], (byte)(genuine.Signature.Span[^1] ^ 1)]),
                txs
            ),
            "signature by another key" => Resign(header, txs, Keys.Alice),
            "wrong state root" => Resign(header with { StateRoot = Hash256.Compute([4, 5, 6]) }, txs),
            "wrong transaction root" => Resign(header with { TransactionRoot = Hash256.Compute([7]) }, txs),
            "wrong transaction count" => Resign(header with { TransactionCount = header.TransactionCount + 1 }, txs),
            "transaction with a bad signature" => ResignOver(header, [WithBrokenSignature(txs[0]), txs[1]]),
            "transaction with a bad hotkey proof" => ResignOver(
                header,
                [
                    .. txs,
                    new Transaction(
                        TestChain.ChainId,
                        TestChain.DefaultGenesisHash,
                        Keys.Charlie.Address,
                        0,
                        Tx.MinFee,
                        new RegisterNodePayload(Keys.NodeA.Address, NodeRoles.Inference, "", Signature.Empty)
                    ).Sign(Keys.Charlie),
                ]
            ),
            "transaction that fails to execute" => ResignOver(
                header,
                [.. txs, Tx.Transfer(Keys.Charlie, Keys.Bob.Address, Tx.Tokens(1), nonce: 5)]
            ),
            "extra transaction" => ResignOver(
                header,
                [.. txs, Tx.Transfer(Keys.Charlie, Keys.Bob.Address, Tx.Tokens(1), nonce: 0)]
            ),
            "non-validator proposer" => Resign(header with { Proposer = Keys.Alice.Address }, txs, Keys.Alice),
            "registered node without the validator role as proposer" => RegisteredNonValidatorProposes(header, txs),
            _ => throw new ArgumentOutOfRangeException(nameof(how), how, null),
        };
    }

    private static Block ResignOver(BlockHeader header, SignedTransaction[] transactions) =>
        Resign(Over(header, transactions), transactions);

    /// <summary>Registers <see cref="Keys.NodeB"/> as an inference node on both chains, then lets it sign the block.</summary>
    private Block RegisteredNonValidatorProposes(BlockHeader header, IReadOnlyList<SignedTransaction> txs)
    {
        Assert.Equal(0UL, _b.Chain.Head.Height);
        // The registration only has to be in B's state for the check; build it on a throw-away producer.
        using var helper = new TestChain();
        var registered = helper.Produce(
            Tx.Register(Keys.Charlie, Keys.NodeB, 0, NodeRoles.Inference | NodeRoles.Gateway)
        );
        _b.Chain.Import(registered);
        return Block.Sign(
            header with
            {
                Height = 2,
                ParentHash = registered.Hash,
                Proposer = Keys.NodeB.Address,
            },
            txs,
            Keys.NodeB
        );
    }

    [Fact]
    public void A_block_produced_by_one_chain_imports_into_another()
    {
        var block = ProduceOnA();
        _b.Chain.Import(block);
        Assert.Equal(_a.Chain.Head.Hash, _b.Chain.Head.Hash);
        Assert.Equal(_a.Chain.Head.StateRoot, _b.Chain.Head.StateRoot);
        Assert.Equal(_a.Chain.GetAccount(Keys.Alice.Address), _b.Chain.GetAccount(Keys.Alice.Address));
        Assert.Equal(
            Tx.Tokens(TestChain.ValidatorStakeTokens + 5),
            _b.Chain.ReadState(v => v.GetHotkeyStake(Keys.Validator.Address))
        );
        Assert.NotNull(_b.Chain.Store.FindTransaction(block.Transactions[1].Id));
    }

    [Fact]
    public void An_empty_block_imports_too()
    {
        var block = _a.Produce();
        Assert.Equal(Hash256.Zero, block.Header.TransactionRoot);
        _b.Chain.Import(block);
        Assert.Equal(block.Hash, _b.Chain.Head.Hash);
    }

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void A_tampered_block_is_rejected_as_InvalidBlock_and_changes_nothing(string how)
    {
        var genuine = ProduceOnA();
        var tampered = Tamper(genuine, how);
        var head = _b.Chain.Head;
        var alice = _b.Chain.GetAccount(Keys.Alice.Address);
        var bob = _b.Chain.GetAccount(Keys.Bob.Address);
        var stake = _b.Chain.ReadState(v => v.GetHotkeyStake(Keys.Validator.Address));

        var e = Assert.Throws<LedgerException>(() => _b.Chain.Import(tampered));

        Assert.Equal(ErrorCode.InvalidBlock, e.Code);
        Assert.Equal(head.Hash, _b.Chain.Head.Hash);
        Assert.Equal(head.StateRoot, _b.Chain.Head.StateRoot);
        Assert.Equal(alice, _b.Chain.GetAccount(Keys.Alice.Address));
        Assert.Equal(bob, _b.Chain.GetAccount(Keys.Bob.Address));
        Assert.Equal(stake, _b.Chain.ReadState(v => v.GetHotkeyStake(Keys.Validator.Address)));
        Assert.Null(_b.Chain.Store.ReadBlock(head.Height + 1));
        Assert.All(tampered.Transactions, t => Assert.Null(_b.Chain.Store.FindTransaction(t.Id)));
    }

    [Fact]
    public void After_rejecting_a_tampered_block_the_genuine_one_still_imports()
    {
        var genuine = ProduceOnA();
        Assert.Throws<LedgerException>(() => _b.Chain.Import(Tamper(genuine, "wrong state root")));
        Assert.Throws<LedgerException>(() => _b.Chain.Import(Tamper(genuine, "transaction that fails to execute")));
        _b.Chain.Import(genuine);
        Assert.Equal(genuine.Hash, _b.Chain.Head.Hash);
        // The state root check in Import passed, so the rejected attempts left no trace in the in-memory state either.
        _b.Reopen();
        Assert.Equal(genuine.Hash, _b.Chain.Head.Hash);
    }

    [Fact]
    public void A_wrong_state_root_names_both_roots()
    {
        var genuine = ProduceOnA();
        var bogus = Hash256.Compute([4, 5, 6]);
        var e = Assert.Throws<LedgerException>(() =>
            _b.Chain.Import(Resign(genuine.Header with { StateRoot = bogus }, genuine.Transactions))
        );
        Assert.Contains(bogus.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains(genuine.Header.StateRoot.ToString(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failing_transaction_is_reported_with_its_index_and_code()
    {
        var genuine = ProduceOnA();
        var e = Assert.Throws<LedgerException>(() =>
            _b.Chain.Import(Tamper(genuine, "transaction that fails to execute"))
        );
        Assert.Contains("transaction 2 fails: [NonceTooHigh]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_block_cannot_be_imported_twice()
    {
        var block = ProduceOnA();
        _b.Chain.Import(block);
        var e = Assert.Throws<LedgerException>(() => _b.Chain.Import(block));
        Assert.Equal(ErrorCode.InvalidBlock, e.Code);
        Assert.Equal(block.Hash, _b.Chain.Head.Hash);
    }

    [Fact]
    public void Blocks_must_be_imported_in_order()
    {
        var first = ProduceOnA();
        var second = ProduceOnA();
        Assert.Equal(ErrorCode.InvalidBlock, Assert.Throws<LedgerException>(() => _b.Chain.Import(second)).Code);
        _b.Chain.Import(first);
        _b.Chain.Import(second);
        Assert.Equal(_a.Chain.Head.Hash, _b.Chain.Head.Hash);
    }

    [Fact]
    public void A_block_over_the_transaction_limit_is_rejected()
    {
        var genesis = TestChain.DefaultGenesis();
        genesis.Parameters.MaxBlockTransactions = 1;
        using var small = new TestChain(genesis);
        var genuine = ProduceOnA();
        var header = genuine.Header with { ParentHash = small.Chain.Head.Hash };
        var e = Assert.Throws<LedgerException>(() => small.Chain.Import(Resign(header, genuine.Transactions)));
        Assert.Equal(ErrorCode.InvalidBlock, e.Code);
        Assert.Contains("more than 1 transactions", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Producing_keeps_at_most_the_block_limit_and_leaves_the_rest_out()
    {
        var genesis = TestChain.DefaultGenesis();
        genesis.Parameters.MaxBlockTransactions = 2;
        using var small = new TestChain(genesis);
        var block = small.Produce(
            [
                Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(1), 0),
                Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(1), 1),
                Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(1), 2),
            ],
            out var rejected
        );
        Assert.Equal(2, block.Transactions.Count);
        Assert.Empty(rejected);
        Assert.Equal(2UL, small.Chain.GetAccount(Keys.Alice.Address).Nonce);
    }

    [Fact]
    public void Only_a_registered_validator_may_produce()
    {
        var head = _a.Chain.Head;
        Assert.Throws<InvalidOperationException>(() =>
            _a.Chain.Produce(Keys.Alice, TestChain.GenesisTime + 1, [], out _)
        );
        Assert.Equal(head.Hash, _a.Chain.Head.Hash);
    }

    [Fact]
    public void A_produced_block_never_goes_back_in_time()
    {
        var block = _a.Chain.Produce(Keys.Validator, TestChain.GenesisTime - 5000, [], out _);
        Assert.Equal(TestChain.GenesisTime, block.Header.Timestamp);
        _b.Chain.Import(block);
    }

    [Fact]
    public void Produced_blocks_link_to_their_parent_and_commit_to_their_transactions_and_state()
    {
        var genesisHash = _a.Chain.Head.Hash;
        var block = ProduceOnA();
        Assert.Equal(1UL, block.Height);
        Assert.Equal(genesisHash, block.Header.ParentHash);
        Assert.Equal(Keys.Validator.Address, block.Header.Proposer);
        Assert.Equal(
            MerkleTree.ComputeRoot(block.Transactions.Select(t => t.Id).ToArray()),
            block.Header.TransactionRoot
        );
        Assert.Equal(2u, block.Header.TransactionCount);
        Assert.Equal(_a.Chain.Head.StateRoot, block.Header.StateRoot);
        Assert.True(block.VerifyProposerSignature());
        Assert.True(Keys.Validator.Address.Verify([.. "veritensor/block/v1"u8, .. block.Hash.Span], block.Signature));
    }

    [Fact]
    public void Committed_blocks_are_announced_once_each()
    {
        var seen = new List<ulong>();
        _b.Chain.BlockCommitted += block => seen.Add(block.Height);
        var block = ProduceOnA();
        Assert.Throws<LedgerException>(() => _b.Chain.Import(Tamper(block, "wrong state root")));
        _b.Chain.Import(block);
        Assert.Equal([1UL], seen);
    }

    [Fact]
    public void The_stored_fee_goes_to_the_proposer_hotkey()
    {
        ProduceOnA();
        Assert.Equal(
            new AccountState(new Amount(2 * Tx.MinFee.BaseUnits), 0),
            _a.Chain.GetAccount(Keys.Validator.Address)
        );
    }
}
