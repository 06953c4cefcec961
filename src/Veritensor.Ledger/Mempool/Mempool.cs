using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Mempool;

/// <summary>
/// Verified transactions waiting for a block. Per sender they are kept in nonce order; blocks take the
/// highest-fee ready transaction first (a sender's next nonce only after its previous one). Bounded in
/// size and per sender; when full, the cheapest transaction goes (with its sender's later nonces, so no
/// gap is left), unless the newcomer pays no more than it. Thread-safe.
/// </summary>
public sealed class Mempool
{
    private readonly Lock _sync = new();
    private readonly MempoolOptions _options;
    private readonly Dictionary<Hash256, Entry> _byId = [];
    private readonly Dictionary<Address, SortedList<ulong, Entry>> _bySender = [];

    /// <summary>Per sender, the sum of amount (or lock, or burn) plus fee of its pending transactions (kept so admission need not add them up).</summary>
    private readonly Dictionary<Address, Amount> _pendingSpend = [];
    private readonly SortedSet<Entry> _byFee = new(EvictionOrder.Instance);
    private long _sequence;

    public Mempool(MempoolOptions? options = null) => _options = options ?? new MempoolOptions();

    public int Count
    {
        get
        {
            lock (_sync)
                return _byId.Count;
        }
    }

    public bool Contains(Hash256 id)
    {
        lock (_sync)
            return _byId.ContainsKey(id);
    }

    /// <summary>The nonce the sender's next new transaction should carry: the account nonce, past any contiguous pending ones.</summary>
    public ulong NextNonce(Address sender, ulong accountNonce)
    {
        lock (_sync)
        {
            if (!_bySender.TryGetValue(sender, out var queue))
                return accountNonce;
            var next = accountNonce;
            while (queue.ContainsKey(next))
                next++;
            return next;
        }
    }

    /// <summary>
    /// Admits a verified transaction against the sender's committed account. <paramref name="stateSpend"/> is what
    /// the payload takes from the balance that only the state knows: the subnet lock cost of CreateSubnet, the
    /// current burn of RegisterNeuron. It counts in the sender's pending spend like a transfer's amount, so a sender
    /// cannot queue more locks and burns than its balance covers. Throws <see cref="LedgerException"/>
    /// (DuplicateTransaction, NonceTooLow, NonceTooHigh, NonceAlreadyPending, TooManyPending, InsufficientBalance, MempoolFull).
    /// </summary>
    public void Add(VerifiedTransaction transaction, AccountState sender, Amount stateSpend = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var tx = transaction.Transaction;
        lock (_sync)
        {
            if (_byId.ContainsKey(transaction.Id))
                throw new LedgerException(
                    ErrorCode.DuplicateTransaction,
                    $"Transaction {transaction.Id} is already pending."
                );
            if (tx.Nonce < sender.Nonce)
                throw new LedgerException(
                    ErrorCode.NonceTooLow,
                    $"Nonce {tx.Nonce} was already used by {tx.Sender}; the next nonce is {sender.Nonce}."
                );
            if (tx.Nonce - sender.Nonce > _options.MaxNonceGap)
                throw new LedgerException(
                    ErrorCode.NonceTooHigh,
                    $"Nonce {tx.Nonce} is more than {_options.MaxNonceGap} ahead of the account's next nonce {sender.Nonce}."
                );

            _bySender.TryGetValue(tx.Sender, out var queue);
            Entry? replaced = null;
            if (queue is not null && queue.TryGetValue(tx.Nonce, out var existing))
            {
                // In 128 bits: with checked arithmetic a large fee would otherwise throw OverflowException here.
                var required = UInt128.Max(
                    existing.Fee.BaseUnits
                        + (UInt128)existing.Fee.BaseUnits * (ulong)_options.ReplacementFeeBumpPercent / 100,
                    (UInt128)existing.Fee.BaseUnits + 1
                );
                if (tx.Fee.BaseUnits < required)
                    throw new LedgerException(
                        ErrorCode.NonceAlreadyPending,
                        $"A transaction with nonce {tx.Nonce} from {tx.Sender} is pending with fee {existing.Fee}; a replacement must pay at least {(required > ulong.MaxValue ? "more than the largest fee" : new Amount((ulong)required).ToString())}."
                    );
                replaced = existing;
            }
            else if (queue is not null && queue.Count >= _options.MaxPerSender)
            {
                throw new LedgerException(
                    ErrorCode.TooManyPending,
                    $"{tx.Sender} already has {queue.Count} pending transactions, the most allowed."
                );
            }

            var pendingSpend = _pendingSpend.GetValueOrDefault(tx.Sender);
            if (replaced is not null)
                pendingSpend -= replaced.Spend;
            var entrySpend = SpendOf(tx, stateSpend);
            if (!FitsBalance(sender.Balance, pendingSpend, entrySpend))
                throw new LedgerException(
                    ErrorCode.InsufficientBalance,
                    $"{tx.Sender} holds {sender.Balance}; its pending transactions spend {pendingSpend} and this one {entrySpend} (amount, lock or burn, plus fee)."
                );

            if (replaced is null && _byId.Count >= _options.MaxTransactions)
            {
                var cheapest = _byFee.Min!;
                if (tx.Fee <= cheapest.Fee)
                    throw new LedgerException(
                        ErrorCode.MempoolFull,
                        $"The mempool is full; the cheapest pending transaction pays {cheapest.Fee}, pay more to get in."
                    );
                // Evicting the sender's own earlier nonce would leave this transaction behind a gap it can never pass.
                if (
                    cheapest.Transaction.Transaction.Sender == tx.Sender
                    && cheapest.Transaction.Transaction.Nonce < tx.Nonce
                )
                    throw new LedgerException(
                        ErrorCode.MempoolFull,
                        $"The mempool is full and the cheapest pending transaction is this sender's own nonce {cheapest.Transaction.Transaction.Nonce}; replace that one with a higher fee first."
                    );
                RemoveFrom(cheapest.Transaction.Transaction.Sender, cheapest.Transaction.Transaction.Nonce);
            }
            if (replaced is not null)
                RemoveEntry(replaced);

            var added = new Entry(transaction, entrySpend, _sequence++);
            _byId.Add(transaction.Id, added);
            if (!_bySender.TryGetValue(tx.Sender, out queue))
                _bySender[tx.Sender] = queue = [];
            queue[tx.Nonce] = added;
            _byFee.Add(added);
            _pendingSpend[tx.Sender] = _pendingSpend.GetValueOrDefault(tx.Sender) + entrySpend;
        }
    }

    /// <summary>
    /// Up to <paramref name="max"/> transactions in the order a block should run them: highest fee first among
    /// each sender's next transaction, and each sender's transactions in nonce order with no gap.
    /// </summary>
    public IReadOnlyList<VerifiedTransaction> SelectForBlock(int max, Func<Address, ulong> accountNonce)
    {
        ArgumentNullException.ThrowIfNull(accountNonce);
        lock (_sync)
        {
            var selected = new List<VerifiedTransaction>(Math.Min(max, _byId.Count));
            var heads =
                new PriorityQueue<(SortedList<ulong, Entry> Queue, int Index), (ulong NegativeFee, long Sequence)>();
            foreach (var (sender, queue) in _bySender)
            {
                var index = queue.IndexOfKey(accountNonce(sender));
                if (index >= 0)
                    heads.Enqueue((queue, index), Priority(queue.Values[index]));
            }
            while (selected.Count < max && heads.TryDequeue(out var head, out _))
            {
                var entry = head.Queue.Values[head.Index];
                selected.Add(entry.Transaction);
                var next = head.Index + 1;
                if (next < head.Queue.Count && head.Queue.Keys[next] == head.Queue.Keys[head.Index] + 1)
                    heads.Enqueue((head.Queue, next), Priority(head.Queue.Values[next]));
            }
            return selected;
        }
    }

    /// <summary>Drops the given transactions (included in a block or found invalid).</summary>
    public void Remove(IEnumerable<Hash256> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        lock (_sync)
        {
            foreach (var id in ids)
                if (_byId.TryGetValue(id, out var entry))
                    RemoveEntry(entry);
        }
    }

    /// <summary>Drops every pending transaction of <paramref name="sender"/> whose nonce is now used.</summary>
    public void RemoveStale(Address sender, ulong accountNonce)
    {
        lock (_sync)
        {
            if (!_bySender.TryGetValue(sender, out var queue))
                return;
            while (queue.Count > 0 && queue.Keys[0] < accountNonce)
                RemoveEntry(queue.Values[0]);
        }
    }

    /// <summary>Removes the sender's transaction with <paramref name="nonce"/> and all later ones, which could no longer run.</summary>
    private void RemoveFrom(Address sender, ulong nonce)
    {
        var queue = _bySender[sender];
        for (var i = queue.Count - 1; i >= 0 && queue.Keys[i] >= nonce; i--)
            RemoveEntry(queue.Values[i]);
    }

    private void RemoveEntry(Entry entry)
    {
        var tx = entry.Transaction.Transaction;
        _byId.Remove(entry.Transaction.Id);
        _byFee.Remove(entry);
        if (_bySender.TryGetValue(tx.Sender, out var queue))
        {
            queue.Remove(tx.Nonce);
            if (queue.Count == 0)
            {
                _bySender.Remove(tx.Sender);
                _pendingSpend.Remove(tx.Sender);
            }
            else
            {
                _pendingSpend[tx.Sender] -= entry.Spend;
            }
        }
    }

    private static (ulong, long) Priority(Entry entry) => (ulong.MaxValue - entry.Fee.BaseUnits, entry.Sequence);

    /// <summary>Amount plus state spend plus fee, saturated at the largest amount (which no balance covers).</summary>
    private static Amount SpendOf(Transaction tx, Amount stateSpend)
    {
        var amount = tx.Payload switch
        {
            TransferPayload transfer => transfer.Amount,
            StakePayload { Kind: TransactionKind.AddStake } stake => stake.Amount,
            _ => Amount.Zero,
        };
        var total = (UInt128)amount.BaseUnits + stateSpend.BaseUnits + tx.Fee.BaseUnits;
        return total > ulong.MaxValue ? new Amount(ulong.MaxValue) : new Amount((ulong)total);
    }

    private static bool FitsBalance(Amount balance, Amount pending, Amount spend) =>
        ulong.MaxValue - pending.BaseUnits >= spend.BaseUnits && pending + spend <= balance;

    private sealed record Entry(VerifiedTransaction Transaction, Amount Spend, long Sequence)
    {
        public Amount Fee => Transaction.Transaction.Fee;
    }

    /// <summary>Cheapest first; among equal fees the newest first, so the oldest cheap transaction survives longest.</summary>
    private sealed class EvictionOrder : IComparer<Entry>
    {
        public static EvictionOrder Instance { get; } = new();

        public int Compare(Entry? x, Entry? y)
        {
            if (ReferenceEquals(x, y))
                return 0;
            if (x is null)
                return -1;
            if (y is null)
                return 1;
            var byFee = x.Fee.CompareTo(y.Fee);
            return byFee != 0 ? byFee : y.Sequence.CompareTo(x.Sequence);
        }
    }
}
