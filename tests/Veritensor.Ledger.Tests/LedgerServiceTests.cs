using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Chain;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Tests;

[UnitTest]
public sealed class LedgerServiceTests : IDisposable
{
    private readonly TestChain _test = new();
    private readonly LedgerService _service;

    public LedgerServiceTests() => _service = new LedgerService(_test.Chain, new Mempool.Mempool());

    public void Dispose() => _test.Dispose();

    private Blocks.Block ProduceBlock() => _service.ProduceBlock(Keys.Validator, _test.NextTimestamp());

    [Fact]
    public void Submitted_bytes_are_admitted_then_included_by_the_next_block()
    {
        var tx = Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(10), 0);
        var id = _service.Submit(tx.Encoded);

        Assert.Equal(tx.Id, id);
        Assert.True(_service.Mempool.Contains(id));
        Assert.Equal(TransactionState.Pending, _service.GetStatus(id).State);

        var block = ProduceBlock();

        Assert.Equal([id], block.Transactions.Select(t => t.Id));
        Assert.Equal(0, _service.Mempool.Count);
        var status = _service.GetStatus(id);
        Assert.Equal(TransactionState.Included, status.State);
        Assert.Equal(1UL, status.BlockHeight);
        Assert.Equal(block.Hash, status.BlockHash);
        Assert.Equal(0, status.Position);
        Assert.Equal(tx.Encoded, status.Transaction!.Encoded);
        Assert.Null(status.Error);
        Assert.Equal(
            new Amount(Tx.Tokens(TestChain.FundedTokens + 10).BaseUnits),
            _test.Chain.GetAccount(Keys.Bob.Address).Balance
        );
    }

    [Fact]
    public void A_block_takes_pending_transactions_by_fee_and_reports_each_position()
    {
        var cheap = Tx.Transfer(Keys.Alice, Keys.Dave.Address, Tx.Tokens(1), 0);
        var rich = Tx.Transfer(Keys.Bob, Keys.Dave.Address, Tx.Tokens(1), 0, fee: new Amount(5_000_000));
        var cheapNext = Tx.Transfer(Keys.Alice, Keys.Dave.Address, Tx.Tokens(1), 1, fee: new Amount(9_000_000));
        foreach (var tx in new[] { cheapNext, cheap, rich })
            _service.Submit(tx.Encoded);

        var block = ProduceBlock();

        Assert.Equal([rich.Id, cheap.Id, cheapNext.Id], block.Transactions.Select(t => t.Id));
        Assert.Equal([0, 1, 2], new[] { rich, cheap, cheapNext }.Select(t => _service.GetStatus(t.Id).Position!.Value));
    }

    [Fact]
    public void A_transaction_whose_balance_is_spent_before_its_block_ends_Dropped_with_its_error()
    {
        // Nonce 1 is admitted (the mempool may hold it ahead of nonce 0), and its 900 tokens fit the balance then.
        var transfer = Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(900), 1);
        _service.Submit(transfer.Encoded);
        // Then a block made without this mempool spends most of the balance with nonce 0.
        _test.Produce(Tx.AddStake(Keys.Alice, Keys.Validator.Address, Tx.Tokens(950), 0));

        var block = ProduceBlock();

        Assert.Empty(block.Transactions);
        Assert.False(_service.Mempool.Contains(transfer.Id));
        var status = _service.GetStatus(transfer.Id);
        Assert.Equal(TransactionState.Dropped, status.State);
        Assert.Equal(ErrorCode.InsufficientBalance, status.Error);
        Assert.Contains(transfer.Id.ToString(), status.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(transfer.Encoded, status.Transaction!.Encoded);
        Assert.Null(status.BlockHeight);
    }

    [Fact]
    public void The_second_of_two_unstakes_of_the_same_stake_ends_Dropped_with_InsufficientStake()
    {
        _service.Submit(Tx.AddStake(Keys.Alice, Keys.Validator.Address, Tx.Tokens(10), 0).Encoded);
        ProduceBlock();
        // The mempool does not track stake, so both are admitted.
        var first = _service.Submit(Tx.RemoveStake(Keys.Alice, Keys.Validator.Address, Tx.Tokens(10), 1).Encoded);
        var second = _service.Submit(Tx.RemoveStake(Keys.Alice, Keys.Validator.Address, Tx.Tokens(10), 2).Encoded);

        ProduceBlock();

        Assert.Equal(TransactionState.Included, _service.GetStatus(first).State);
        var status = _service.GetStatus(second);
        Assert.Equal(TransactionState.Dropped, status.State);
        Assert.Equal(ErrorCode.InsufficientStake, status.Error);
        Assert.Equal(0, _service.Mempool.Count);
    }

    [Fact]
    public void Of_two_coldkeys_claiming_one_hotkey_the_higher_fee_wins_and_the_other_is_Dropped()
    {
        var charlie = _service.Submit(Tx.Register(Keys.Charlie, Keys.NodeA, 0, fee: new Amount(300_000)).Encoded);
        var bob = _service.Submit(Tx.Register(Keys.Bob, Keys.NodeA, 0, fee: new Amount(200_000)).Encoded);

        ProduceBlock();

        Assert.Equal(TransactionState.Included, _service.GetStatus(charlie).State);
        Assert.Equal(ErrorCode.HotkeyOwnedByAnother, _service.GetStatus(bob).Error);
        Assert.Equal(Keys.Charlie.Address, _test.Chain.ReadState(v => v.GetNode(Keys.NodeA.Address))!.Owner);
        // Bob's nonce was not used, so he can send again with it.
        var retry = _service.Submit(Tx.Transfer(Keys.Bob, Keys.Dave.Address, Tx.Tokens(1), 0).Encoded);
        Assert.Equal(TransactionState.Pending, _service.GetStatus(retry).State);
    }

    [Fact]
    public void A_transaction_from_a_chain_that_was_reset_does_not_replay_on_the_new_one()
    {
        // The old chain: alice pays bob with nonce 0, and the block commits it.
        var paid = Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(10), 0, genesis: _test.Chain.GenesisHash);
        _service.Submit(paid.Encoded);
        ProduceBlock();
        // The reset: same name, same accounts, a later genesis time, so alice's nonce is 0 again.
        var relaunched = TestChain.DefaultGenesis();
        relaunched.Timestamp += 1;
        using var fresh = new TestChain(relaunched);
        Assert.Equal(_test.Chain.ChainId, fresh.Chain.ChainId);
        Assert.NotEqual(_test.Chain.GenesisHash, fresh.Chain.GenesisHash);
        var service = new LedgerService(fresh.Chain, new Mempool.Mempool());

        var e = Assert.Throws<LedgerException>(() => service.Submit(paid.Encoded));
        Assert.Equal(ErrorCode.WrongChain, e.Code);
        Assert.Contains(fresh.Chain.GenesisHash.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Equal(0, service.Mempool.Count);
        // A block carrying it is refused too, so a proposer cannot slip it in.
        var block = fresh.Produce([paid], out var rejected);
        Assert.Empty(block.Transactions);
        Assert.Equal(ErrorCode.WrongChain, Assert.Single(rejected).Error.Code);
        Assert.Equal(Amount.FromTokens(TestChain.FundedTokens), fresh.Chain.GetAccount(Keys.Bob.Address).Balance);
        // Signed again for the new chain, the same payment goes through.
        service.Submit(
            Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(10), 0, genesis: fresh.Chain.GenesisHash).Encoded
        );
        Assert.Equal(1, service.Mempool.Count);
    }

    [Fact]
    public void An_unknown_id_has_status_Unknown() =>
        Assert.Equal(TransactionState.Unknown, _service.GetStatus(Hash256.Compute([42])).State);

    [Fact]
    public void Submitting_an_included_transaction_again_is_a_duplicate_and_another_with_its_nonce_is_too_low()
    {
        var tx = Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(1), 0);
        _service.Submit(tx.Encoded);
        ProduceBlock();

        Assert.Equal(
            ErrorCode.DuplicateTransaction,
            Assert.Throws<LedgerException>(() => _service.Submit(tx.Encoded)).Code
        );
        var sameNonce = Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(2), 0);
        Assert.Equal(
            ErrorCode.NonceTooLow,
            Assert.Throws<LedgerException>(() => _service.Submit(sameNonce.Encoded)).Code
        );
        Assert.Equal(0, _service.Mempool.Count);
    }

    [Fact]
    public void Bytes_that_are_not_an_acceptable_transaction_are_refused_with_their_reason()
    {
        Assert.Equal(
            ErrorCode.MalformedEncoding,
            Assert.Throws<LedgerException>(() => _service.Submit([1, 2, 3])).Code
        );
        Assert.Equal(
            ErrorCode.TransactionTooLarge,
            Assert.Throws<LedgerException>(() => _service.Submit(new byte[5000])).Code
        );

        var tampered = Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(1), 0).Encoded;
        tampered[^70] ^= 1; // in the amount
        Assert.Equal(ErrorCode.InvalidSignature, Assert.Throws<LedgerException>(() => _service.Submit(tampered)).Code);

        var cheap = Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(1), 0, fee: new Amount(99_999));
        Assert.Equal(ErrorCode.FeeTooLow, Assert.Throws<LedgerException>(() => _service.Submit(cheap.Encoded)).Code);

        var broke = Tx.Transfer(Keys.Dave, Keys.Bob.Address, Tx.Tokens(1), 0);
        Assert.Equal(
            ErrorCode.InsufficientBalance,
            Assert.Throws<LedgerException>(() => _service.Submit(broke.Encoded)).Code
        );
        Assert.Equal(0, _service.Mempool.Count);
    }

    [Fact]
    public void A_batch_reports_one_result_per_transaction_in_order()
    {
        var aliceFirst = Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(1), 0);
        var badSignatureBytes = Tx.Transfer(Keys.Bob, Keys.Alice.Address, Tx.Tokens(1), 0).Encoded;
        badSignatureBytes[^1] ^= 1;
        var badProof = new Transaction(
            TestChain.ChainId,
            TestChain.DefaultGenesisHash,
            Keys.Charlie.Address,
            0,
            Tx.MinFee,
            new RegisterNodePayload(Keys.NodeA.Address, NodeRoles.Inference, "", Signature.Empty)
        ).Sign(Keys.Charlie);
        var batch = new List<(SignedTransaction Tx, ErrorCode? Expected)>
        {
            (aliceFirst, null),
            (Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(1), 0, chainId: "elsewhere"), ErrorCode.WrongChain),
            (SignedTransaction.Decode(badSignatureBytes, 4096), ErrorCode.InvalidSignature),
            (Tx.Transfer(Keys.Bob, Keys.Alice.Address, Tx.Tokens(2), 0), null),
            (Tx.Transfer(Keys.Charlie, Keys.Alice.Address, Tx.Tokens(2), 0, fee: new Amount(1)), ErrorCode.FeeTooLow),
            (aliceFirst, ErrorCode.DuplicateTransaction),
            (badProof, ErrorCode.InvalidHotkeyProof),
            (Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(3), 0), ErrorCode.NonceAlreadyPending),
            (Tx.Transfer(Keys.Dave, Keys.Bob.Address, Tx.Tokens(3), 0), ErrorCode.InsufficientBalance),
        };
        // More than 16, so the signatures are checked on the parallel path.
        for (ulong n = 1; n <= 12; n++)
            batch.Add((Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(1), n), null));

        var results = _service.SubmitBatch(batch.Select(b => b.Tx).ToArray());

        Assert.Equal(batch.Select(b => b.Expected), results.Select(r => r?.Code));
        Assert.Equal(batch.Count(b => b.Expected is null), _service.Mempool.Count);
        Assert.Equal(14, ProduceBlock().Transactions.Count);
    }

    [Fact]
    public void Producing_from_an_empty_mempool_gives_an_empty_block()
    {
        var block = ProduceBlock();
        Assert.Empty(block.Transactions);
        Assert.Equal(1UL, _test.Chain.Head.Height);
    }
}

[UnitTest]
public sealed class MempoolPruningTests : IDisposable
{
    private readonly TestChain _producer = new();
    private readonly TestChain _follower = new();

    public void Dispose()
    {
        _producer.Dispose();
        _follower.Dispose();
    }

    [Fact]
    public void An_imported_block_removes_its_transactions_and_stale_nonces_from_the_mempool()
    {
        var service = new LedgerService(_follower.Chain, new Mempool.Mempool());
        var included = Tx.Transfer(Keys.Alice, Keys.Bob.Address, Tx.Tokens(1), 0);
        var sameNonce = Tx.Transfer(
            Keys.Alice,
            Keys.Charlie.Address,
            Tx.Tokens(2),
            0,
            fee: new Amount(Tx.MinFee.BaseUnits * 2)
        );
        var next = Tx.Transfer(Keys.Alice, Keys.Charlie.Address, Tx.Tokens(3), 1);
        service.Submit(sameNonce.Encoded);
        service.Submit(next.Encoded);

        _follower.Chain.Import(_producer.Produce(included));

        Assert.Equal(TransactionState.Included, service.GetStatus(included.Id).State);
        Assert.Equal(TransactionState.Unknown, service.GetStatus(sameNonce.Id).State);
        Assert.Equal(TransactionState.Pending, service.GetStatus(next.Id).State);
        Assert.Equal(1, service.Mempool.Count);
    }
}

[UnitTest]
public sealed class AdmissionPayloadTests : IDisposable
{
    private readonly TestChain _test = new();
    private readonly LedgerService _service;

    public AdmissionPayloadTests() => _service = new LedgerService(_test.Chain, new Mempool.Mempool());

    public void Dispose() => _test.Dispose();

    private void ProduceBlock() => _service.ProduceBlock(Keys.Validator, _test.NextTimestamp());

    public static TheoryData<string, ErrorCode> Cases =>
        new()
        {
            { "zero transfer", ErrorCode.ZeroAmount },
            { "transfer to the zero address", ErrorCode.InvalidField },
            { "stake on an unregistered hotkey", ErrorCode.HotkeyNotRegistered },
            { "unstake more than staked", ErrorCode.InsufficientStake },
            { "register as validator", ErrorCode.InvalidField },
            { "register another's hotkey", ErrorCode.HotkeyOwnedByAnother },
        };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Payload_errors_against_the_committed_state_are_refused_at_submission(string name, ErrorCode expected)
    {
        var tx = name switch
        {
            "zero transfer" => Tx.Transfer(Keys.Alice, Keys.Bob.Address, Amount.Zero, 0),
            "transfer to the zero address" => Tx.Transfer(Keys.Alice, Address.Zero, Tx.Tokens(1), 0),
            "stake on an unregistered hotkey" => Tx.AddStake(Keys.Alice, Keys.NodeA.Address, Tx.Tokens(1), 0),
            "unstake more than staked" => Tx.RemoveStake(Keys.Alice, Keys.Validator.Address, Tx.Tokens(1), 0),
            "register as validator" => Tx.Register(Keys.Alice, Keys.NodeA, 0, NodeRoles.Validator),
            _ => Tx.Register(Keys.Alice, Keys.Validator, 0, NodeRoles.Validator),
        };
        var e = Assert.Throws<LedgerException>(() => _service.Submit(tx.Encoded));
        Assert.Equal(expected, e.Code);
        Assert.Equal(0, _service.Mempool.Count);
        Assert.Equal(TransactionState.Unknown, _service.GetStatus(tx.Id).State);
    }

    [Fact]
    public void The_mempool_counts_registration_burns_against_the_senders_balance()
    {
        // Dave holds 2.5 tokens; the burn is 1 token, so two queued registrations fit and a third does not.
        _service.Submit(Tx.CreateSubnet(Keys.Alice, 0).Encoded);
        _service.Submit(Tx.Transfer(Keys.Bob, Keys.Dave.Address, Amount.ParseTokens("2.5"), 0).Encoded);
        ProduceBlock();
        Assert.Equal(Subnets.BurnSchedule.Initial, _test.Chain.ReadState(view => view.GetSubnet(1)!.BurnAt(2)));

        _service.Submit(Tx.RegisterNeuron(Keys.Dave, Keys.NodeA, 1, 0).Encoded);
        _service.Submit(Tx.RegisterNeuron(Keys.Dave, Keys.NodeB, 1, 1).Encoded);
        var third = Tx.RegisterNeuron(Keys.Dave, KeyPair.FromDevelopmentName("third-neuron"), 1, 2);
        var e = Assert.Throws<LedgerException>(() => _service.Submit(third.Encoded));

        Assert.Equal(ErrorCode.InsufficientBalance, e.Code);
        Assert.Contains("burn", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, _service.Mempool.Count);
        Assert.False(_service.Mempool.Contains(third.Id));
    }

    [Fact]
    public void The_mempool_counts_subnet_locks_against_the_senders_balance()
    {
        // Alice holds 1000 tokens and a lock is 100: nine subnets and their fees fit, a tenth does not.
        for (ulong nonce = 0; nonce < 9; nonce++)
            _service.Submit(Tx.CreateSubnet(Keys.Alice, nonce).Encoded);
        var tenth = Tx.CreateSubnet(Keys.Alice, 9);
        var e = Assert.Throws<LedgerException>(() => _service.Submit(tenth.Encoded));
        Assert.Equal(ErrorCode.InsufficientBalance, e.Code);
        Assert.Equal(9, _service.Mempool.Count);
    }
}
