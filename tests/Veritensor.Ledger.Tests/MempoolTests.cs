using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Mempool;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;
using Pool = Veritensor.Ledger.Mempool.Mempool;

namespace Veritensor.Ledger.Tests;

[UnitTest]
public sealed class MempoolTests
{
    private static readonly AccountState Rich = new(Amount.FromTokens(1000), 0);

    private static VerifiedTransaction Transfer(
        KeyPair from,
        ulong nonce,
        ulong feeUnits = 100_000,
        ulong amountTokens = 1
    ) => Tx.Transfer(from, Keys.Dave.Address, Amount.FromTokens(amountTokens), nonce, new Amount(feeUnits)).Verified();

    private static IReadOnlyList<VerifiedTransaction> Select(Pool pool, int max = 100, ulong accountNonce = 0) =>
        pool.SelectForBlock(max, _ => accountNonce);

    private static LedgerException Refused(
        Pool pool,
        VerifiedTransaction tx,
        ErrorCode code,
        AccountState? sender = null
    )
    {
        var count = pool.Count;
        var e = Assert.Throws<LedgerException>(() => pool.Add(tx, sender ?? Rich));
        Assert.Equal(code, e.Code);
        Assert.Equal(count, pool.Count);
        Assert.False(pool.Contains(tx.Id));
        return e;
    }

    [Fact]
    public void A_senders_transactions_come_out_in_nonce_order_whatever_order_they_went_in()
    {
        var pool = new Pool();
        var txs = new[] { Transfer(Keys.Alice, 2), Transfer(Keys.Alice, 0), Transfer(Keys.Alice, 1) };
        foreach (var tx in txs)
            pool.Add(tx, Rich);
        Assert.Equal([0UL, 1UL, 2UL], Select(pool).Select(t => t.Transaction.Nonce));
    }

    [Fact]
    public void Higher_fees_go_first_across_senders()
    {
        var pool = new Pool();
        pool.Add(Transfer(Keys.Alice, 0, feeUnits: 100_000), Rich);
        pool.Add(Transfer(Keys.Bob, 0, feeUnits: 500_000), Rich);
        pool.Add(Transfer(Keys.Charlie, 0, feeUnits: 300_000), Rich);
        Assert.Equal(
            [Keys.Bob.Address, Keys.Charlie.Address, Keys.Alice.Address],
            Select(pool).Select(t => t.Transaction.Sender)
        );
    }

    [Fact]
    public void A_high_fee_later_nonce_waits_for_its_senders_earlier_nonce()
    {
        var pool = new Pool();
        pool.Add(Transfer(Keys.Alice, 0, feeUnits: 100_000), Rich);
        pool.Add(Transfer(Keys.Alice, 1, feeUnits: 900_000), Rich);
        pool.Add(Transfer(Keys.Bob, 0, feeUnits: 500_000), Rich);
        Assert.Equal(
            [(Keys.Bob.Address, 0UL), (Keys.Alice.Address, 0UL), (Keys.Alice.Address, 1UL)],
            Select(pool).Select(t => (t.Transaction.Sender, t.Transaction.Nonce))
        );
    }

    [Fact]
    public void Equal_fees_keep_arrival_order()
    {
        var pool = new Pool();
        pool.Add(Transfer(Keys.Charlie, 0), Rich);
        pool.Add(Transfer(Keys.Alice, 0), Rich);
        pool.Add(Transfer(Keys.Bob, 0), Rich);
        Assert.Equal(
            [Keys.Charlie.Address, Keys.Alice.Address, Keys.Bob.Address],
            Select(pool).Select(t => t.Transaction.Sender)
        );
    }

    [Fact]
    public void A_nonce_gap_holds_back_everything_after_it()
    {
        var pool = new Pool();
        pool.Add(Transfer(Keys.Alice, 0), Rich);
        pool.Add(Transfer(Keys.Alice, 2), Rich);
        pool.Add(Transfer(Keys.Alice, 3), Rich);
        Assert.Equal([0UL], Select(pool).Select(t => t.Transaction.Nonce));
        Assert.Equal(3, pool.Count);

        pool.Add(Transfer(Keys.Alice, 1), Rich);
        Assert.Equal([0UL, 1UL, 2UL, 3UL], Select(pool).Select(t => t.Transaction.Nonce));
    }

    [Fact]
    public void Selection_starts_at_the_accounts_current_nonce_and_respects_the_maximum()
    {
        var pool = new Pool();
        for (ulong n = 3; n < 8; n++)
            pool.Add(Transfer(Keys.Alice, n), Rich with { Nonce = 3 });
        Assert.Empty(Select(pool, accountNonce: 2));
        Assert.Equal([3UL, 4UL], Select(pool, max: 2, accountNonce: 3).Select(t => t.Transaction.Nonce));
        Assert.Equal([5UL, 6UL, 7UL], Select(pool, accountNonce: 5).Select(t => t.Transaction.Nonce));
    }

    [Fact]
    public void The_same_transaction_twice_is_a_duplicate()
    {
        var pool = new Pool();
        var tx = Transfer(Keys.Alice, 0);
        pool.Add(tx, Rich);
        var e = Assert.Throws<LedgerException>(() => pool.Add(tx, Rich));
        Assert.Equal(ErrorCode.DuplicateTransaction, e.Code);
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void A_replacement_must_pay_at_least_ten_percent_more()
    {
        var pool = new Pool();
        var original = Transfer(Keys.Alice, 0, feeUnits: 1_000_000);
        pool.Add(original, Rich);

        var e = Refused(pool, Transfer(Keys.Alice, 0, feeUnits: 1_099_999), ErrorCode.NonceAlreadyPending);
        Assert.Contains("0.001100000", e.Message, StringComparison.Ordinal);
        Refused(pool, Transfer(Keys.Alice, 0, feeUnits: 1_000_000, amountTokens: 2), ErrorCode.NonceAlreadyPending);

        var replacement = Transfer(Keys.Alice, 0, feeUnits: 1_100_000);
        pool.Add(replacement, Rich);
        Assert.Equal(1, pool.Count);
        Assert.True(pool.Contains(replacement.Id));
        Assert.False(pool.Contains(original.Id));
        Assert.Equal([replacement.Id], Select(pool).Select(t => t.Id));
    }

    [Fact]
    public void A_replacement_of_a_tiny_fee_must_still_pay_more()
    {
        var pool = new Pool(new MempoolOptions { ReplacementFeeBumpPercent = 10 });
        pool.Add(Transfer(Keys.Alice, 0, feeUnits: 5), Rich);
        Refused(pool, Transfer(Keys.Alice, 0, feeUnits: 5, amountTokens: 2), ErrorCode.NonceAlreadyPending);
        pool.Add(Transfer(Keys.Alice, 0, feeUnits: 6, amountTokens: 2), Rich);
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void A_sender_may_hold_at_most_MaxPerSender_pending_but_may_still_replace()
    {
        var pool = new Pool(new MempoolOptions { MaxPerSender = 3 });
        for (ulong n = 0; n < 3; n++)
            pool.Add(Transfer(Keys.Alice, n), Rich);
        Refused(pool, Transfer(Keys.Alice, 3), ErrorCode.TooManyPending);
        pool.Add(Transfer(Keys.Alice, 1, feeUnits: 200_000), Rich);
        pool.Add(Transfer(Keys.Bob, 0), Rich);
        Assert.Equal(4, pool.Count);
    }

    [Fact]
    public void Nonces_below_the_account_or_too_far_ahead_are_refused()
    {
        var pool = new Pool(new MempoolOptions { MaxNonceGap = 10 });
        var account = Rich with { Nonce = 5 };
        Refused(pool, Transfer(Keys.Alice, 4), ErrorCode.NonceTooLow, account);
        Refused(pool, Transfer(Keys.Alice, 16), ErrorCode.NonceTooHigh, account);
        pool.Add(Transfer(Keys.Alice, 15), account);
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void When_full_a_newcomer_paying_no_more_than_the_cheapest_is_refused()
    {
        var pool = new Pool(new MempoolOptions { MaxTransactions = 3 });
        pool.Add(Transfer(Keys.Bob, 0, feeUnits: 500_000), Rich);
        pool.Add(Transfer(Keys.Alice, 0, feeUnits: 200_000), Rich);
        pool.Add(Transfer(Keys.Bob, 1, feeUnits: 900_000), Rich);
        Refused(pool, Transfer(Keys.Charlie, 0, feeUnits: 200_000), ErrorCode.MempoolFull);
        Refused(pool, Transfer(Keys.Charlie, 0, feeUnits: 100_000), ErrorCode.MempoolFull);
    }

    [Fact]
    public void When_full_a_richer_newcomer_evicts_the_cheapest_and_its_senders_later_nonces()
    {
        var pool = new Pool(new MempoolOptions { MaxTransactions = 3 });
        var bob0 = Transfer(Keys.Bob, 0, feeUnits: 150_000);
        var bob1 = Transfer(Keys.Bob, 1, feeUnits: 900_000);
        var alice0 = Transfer(Keys.Alice, 0, feeUnits: 500_000);
        pool.Add(bob0, Rich);
        pool.Add(bob1, Rich);
        pool.Add(alice0, Rich);

        var charlie0 = Transfer(Keys.Charlie, 0, feeUnits: 160_000);
        pool.Add(charlie0, Rich);

        Assert.Equal(2, pool.Count);
        Assert.False(pool.Contains(bob0.Id));
        Assert.False(pool.Contains(bob1.Id)); // could never run without bob0
        Assert.True(pool.Contains(alice0.Id));
        Assert.True(pool.Contains(charlie0.Id));
        Assert.Equal(0UL, pool.NextNonce(Keys.Bob.Address, 0));
    }

    [Fact]
    public void When_full_a_newcomer_cannot_evict_its_own_senders_earlier_nonce()
    {
        var pool = new Pool(new MempoolOptions { MaxTransactions = 2 });
        var bob0 = Transfer(Keys.Bob, 0, feeUnits: 100_000);
        pool.Add(bob0, Rich);
        pool.Add(Transfer(Keys.Alice, 0, feeUnits: 500_000), Rich);
        var e = Refused(pool, Transfer(Keys.Bob, 1, feeUnits: 900_000), ErrorCode.MempoolFull);
        Assert.Contains("own nonce 0", e.Message, StringComparison.Ordinal);
        Assert.True(pool.Contains(bob0.Id));
        Assert.Equal(2, pool.Count);
    }

    [Fact]
    public void Among_equally_cheap_transactions_the_newest_is_evicted_first()
    {
        var pool = new Pool(new MempoolOptions { MaxTransactions = 2 });
        var older = Transfer(Keys.Alice, 0, feeUnits: 100_000);
        var newer = Transfer(Keys.Bob, 0, feeUnits: 100_000);
        pool.Add(older, Rich);
        pool.Add(newer, Rich);
        pool.Add(Transfer(Keys.Charlie, 0, feeUnits: 100_001), Rich);
        Assert.True(pool.Contains(older.Id));
        Assert.False(pool.Contains(newer.Id));
    }

    [Fact]
    public void Pending_spends_count_against_the_balance()
    {
        var pool = new Pool();
        var account = new AccountState(Amount.FromTokens(100), 0);
        pool.Add(Transfer(Keys.Alice, 0, amountTokens: 60), account);
        var e = Refused(pool, Transfer(Keys.Alice, 1, amountTokens: 40), ErrorCode.InsufficientBalance, account);
        Assert.Contains("60.000100000", e.Message, StringComparison.Ordinal);
        pool.Add(Transfer(Keys.Alice, 1, amountTokens: 39), account); // 60 + 39 + two fees of 0.0001 fit in 100
        Refused(
            pool,
            Tx.AddStake(Keys.Alice, Keys.Validator.Address, Amount.FromTokens(1), 2).Verified(),
            ErrorCode.InsufficientBalance,
            account
        );
        // An unstake spends only its fee.
        pool.Add(Tx.RemoveStake(Keys.Alice, Keys.Validator.Address, Amount.FromTokens(500), 2).Verified(), account);
        Assert.Equal(3, pool.Count);
    }

    [Fact]
    public void A_replacement_is_checked_against_the_balance_without_the_transaction_it_replaces()
    {
        var pool = new Pool();
        var account = new AccountState(Amount.FromTokens(100), 0);
        pool.Add(Transfer(Keys.Alice, 0, amountTokens: 90), account);
        pool.Add(Transfer(Keys.Alice, 0, feeUnits: 200_000, amountTokens: 99), account);
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void Amounts_near_the_top_of_the_range_are_insufficient_not_an_overflow()
    {
        var pool = new Pool();
        var account = new AccountState(new Amount(ulong.MaxValue), 0);
        pool.Add(
            Tx.Transfer(Keys.Alice, Keys.Dave.Address, new Amount(ulong.MaxValue - Tx.MinFee.BaseUnits), 0).Verified(),
            account
        );
        Refused(
            pool,
            Tx.Transfer(Keys.Alice, Keys.Dave.Address, new Amount(ulong.MaxValue), 1).Verified(),
            ErrorCode.InsufficientBalance,
            account
        );
        Refused(pool, Transfer(Keys.Alice, 1), ErrorCode.InsufficientBalance, account);
    }

    [Fact]
    public void Replacing_a_transaction_with_a_huge_fee_is_judged_not_overflowed()
    {
        var pool = new Pool();
        var account = new AccountState(new Amount(ulong.MaxValue), 0);
        pool.Add(
            Tx.Transfer(Keys.Alice, Keys.Dave.Address, new Amount(1), 0, fee: new Amount(ulong.MaxValue / 2))
                .Verified(),
            account
        );
        var e = Assert.Throws<LedgerException>(() =>
            pool.Add(
                Tx.Transfer(Keys.Alice, Keys.Dave.Address, new Amount(2), 0, fee: new Amount(ulong.MaxValue / 2 + 1))
                    .Verified(),
                account
            )
        );
        Assert.Equal(ErrorCode.NonceAlreadyPending, e.Code);
        pool.Add(
            Tx.Transfer(
                    Keys.Alice,
                    Keys.Dave.Address,
                    new Amount(3),
                    0,
                    fee: new Amount(ulong.MaxValue / 2 + ulong.MaxValue / 20)
                )
                .Verified(),
            account
        );

        // A pending fee of the largest amount cannot be outbid, and saying so must not overflow either.
        pool.Add(
            Tx.Transfer(Keys.Bob, Keys.Dave.Address, Amount.Zero, 0, fee: new Amount(ulong.MaxValue)).Verified(),
            account
        );
        var top = Assert.Throws<LedgerException>(() =>
            pool.Add(
                Tx.Transfer(Keys.Bob, Keys.Dave.Address, new Amount(1), 0, fee: new Amount(ulong.MaxValue)).Verified(),
                account
            )
        );
        Assert.Equal(ErrorCode.NonceAlreadyPending, top.Code);
        Assert.Equal(2, pool.Count);
    }

    [Fact]
    public void NextNonce_skips_contiguous_pending_nonces_only()
    {
        var pool = new Pool();
        Assert.Equal(5UL, pool.NextNonce(Keys.Alice.Address, 5));
        var account = Rich with { Nonce = 5 };
        pool.Add(Transfer(Keys.Alice, 5), account);
        pool.Add(Transfer(Keys.Alice, 6), account);
        pool.Add(Transfer(Keys.Alice, 8), account);
        Assert.Equal(7UL, pool.NextNonce(Keys.Alice.Address, 5));
        Assert.Equal(4UL, pool.NextNonce(Keys.Alice.Address, 4));
        Assert.Equal(0UL, pool.NextNonce(Keys.Bob.Address, 0));
    }

    [Fact]
    public void Removing_included_and_stale_transactions_leaves_the_rest()
    {
        var pool = new Pool();
        var txs = Enumerable.Range(0, 4).Select(n => Transfer(Keys.Alice, (ulong)n)).ToArray();
        foreach (var tx in txs)
            pool.Add(tx, Rich);
        var bob = Transfer(Keys.Bob, 0);
        pool.Add(bob, Rich);

        pool.Remove([txs[0].Id, Hash256.Zero]);
        Assert.Equal(4, pool.Count);
        pool.RemoveStale(Keys.Alice.Address, 3);
        Assert.Equal(2, pool.Count);
        Assert.True(pool.Contains(txs[3].Id));
        Assert.True(pool.Contains(bob.Id));
        Assert.Equal([txs[3].Id], pool.SelectForBlock(10, s => s == Keys.Alice.Address ? 3UL : 1UL).Select(t => t.Id));
    }

    [Fact]
    public void Concurrent_admissions_from_many_senders_are_all_kept()
    {
        var pool = new Pool();
        var senders = Enumerable.Range(0, 40).Select(i => KeyPair.FromDevelopmentName($"sender-{i}")).ToArray();
        var txs = senders.SelectMany(s => Enumerable.Range(0, 5).Select(n => Transfer(s, (ulong)n))).ToArray();
        Parallel.ForEach(txs, tx => pool.Add(tx, Rich));
        Assert.Equal(txs.Length, pool.Count);
        var selected = Select(pool, max: 1000);
        Assert.Equal(txs.Length, selected.Count);
        foreach (var group in selected.GroupBy(t => t.Transaction.Sender))
            Assert.Equal([0UL, 1UL, 2UL, 3UL, 4UL], group.Select(t => t.Transaction.Nonce));
        foreach (var s in senders)
            s.Dispose();
    }
}
