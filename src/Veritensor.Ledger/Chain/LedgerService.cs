using System.Collections.Concurrent;
using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Blocks;
using Veritensor.Ledger.Execution;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Chain;

/// <summary>
/// The data layer as the node uses it: admits transactions (decode, cheap checks, signatures, mempool),
/// produces blocks from the mempool, and answers what became of a transaction.
/// </summary>
public sealed class LedgerService
{
    private const int MaxRememberedDrops = 10_000;
    private readonly ConcurrentDictionary<Hash256, TransactionStatus> _dropped = new();
    private readonly ConcurrentQueue<Hash256> _dropOrder = new();

    public LedgerService(Blockchain chain, Mempool.Mempool mempool)
    {
        ArgumentNullException.ThrowIfNull(chain);
        Chain = chain;
        Mempool = mempool;
        // Whoever committed the block (this service, or an import of another node's block), its transactions
        // and every pending transaction whose nonce it used leave the mempool.
        chain.BlockCommitted += PruneMempool;
    }

    private void PruneMempool(Block block)
    {
        Mempool.Remove(block.Transactions.Select(t => t.Id));
        foreach (var sender in block.Transactions.Select(t => t.Transaction.Sender).Distinct())
            Mempool.RemoveStale(sender, Chain.GetAccount(sender).Nonce);
    }

    public Blockchain Chain { get; }
    public Mempool.Mempool Mempool { get; }

    /// <summary>Decodes, checks and admits one encoded transaction; returns its id. Throws <see cref="LedgerException"/>.</summary>
    public Hash256 Submit(ReadOnlySpan<byte> encoded)
    {
        var signed = SignedTransaction.Decode(encoded, Chain.Parameters.MaxTransactionBytes);
        CheckStateless(signed);
        Admit(VerifiedTransaction.Verify(signed));
        return signed.Id;
    }

    /// <summary>
    /// Admits many transactions, verifying their signatures first (on all cores, unless <paramref name="parallel"/>
    /// is false because the caller already submits one batch per core). Returns, per transaction, null when
    /// admitted or the rejection.
    /// </summary>
    public IReadOnlyList<LedgerException?> SubmitBatch(
        IReadOnlyList<SignedTransaction> transactions,
        bool parallel = true
    )
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var results = new LedgerException?[transactions.Count];
        var verified = VerifiedTransaction.VerifyAll(transactions, parallel);
        for (var i = 0; i < transactions.Count; i++)
        {
            try
            {
                CheckStateless(transactions[i]);
                verified[i].Check.ThrowIfInvalid(transactions[i]);
                Admit(verified[i].Verified!);
            }
            catch (LedgerException e)
            {
                results[i] = e;
            }
        }
        return results;
    }

    private void CheckStateless(SignedTransaction signed)
    {
        var tx = signed.Transaction;
        if (tx.ChainId != Chain.ChainId)
            throw new LedgerException(
                ErrorCode.WrongChain,
                $"Transaction {signed.Id} is for chain '{tx.ChainId}'; this node runs '{Chain.ChainId}'."
            );
        if (tx.Genesis != Chain.GenesisHash)
            throw new LedgerException(
                ErrorCode.WrongChain,
                $"Transaction {signed.Id}: {TransactionExecutor.WrongGenesis(tx, Chain.GenesisHash)}."
            );
        if (signed.Size > Chain.Parameters.MaxTransactionBytes)
            throw new LedgerException(
                ErrorCode.TransactionTooLarge,
                $"The transaction is {signed.Size} bytes; the limit is {Chain.Parameters.MaxTransactionBytes}."
            );
        if (tx.Fee < Chain.Parameters.MinFee)
            throw new LedgerException(
                ErrorCode.FeeTooLow,
                $"The fee {tx.Fee} is below the minimum {Chain.Parameters.MinFee}."
            );
    }

    private void Admit(VerifiedTransaction verified)
    {
        var (account, stateSpend, payloadError) = Chain.ReadState(view =>
        {
            var height = Chain.Head.Height + 1;
            try
            {
                TransactionExecutor.ValidatePayload(view, verified.Signed, height, Chain.BlockHashAt);
                // The lock or burn as of the next block, and the byte charge: what the mempool must reserve from the
                // balance besides amount and fee. (The state charge is known only once the transaction runs.)
                Chain.Parameters.TryResourceCharge(verified.Signed.Size, 0, out var byteCharge);
                return (
                    view.GetAccount(verified.Transaction.Sender),
                    SubnetExecutor.Spend(view, verified.Transaction.Payload, height) + byteCharge,
                    (LedgerException?)null
                );
            }
            catch (LedgerException e)
            {
                return (view.GetAccount(verified.Transaction.Sender), Amount.Zero, e);
            }
        });
        // An included transaction has a used nonce, so only then is the (slower) index lookup worth it: it turns
        // NonceTooLow into the more precise DuplicateTransaction.
        if (verified.Transaction.Nonce < account.Nonce && Chain.Store.FindTransaction(verified.Id) is not null)
            throw new LedgerException(
                ErrorCode.DuplicateTransaction,
                $"Transaction {verified.Id} is already in a block."
            );
        if (payloadError is not null)
            throw payloadError;
        Mempool.Add(verified, account, stateSpend);
        _dropped.TryRemove(verified.Id, out _);
    }

    /// <summary>Produces the next block from the mempool's best transactions; those that fail are dropped with their reason.</summary>
    public Block ProduceBlock(KeyPair proposer, long timestamp)
    {
        var candidates = Chain.ReadState(view =>
            Mempool.SelectForBlock(Chain.Parameters.MaxBlockTransactions, sender => view.GetAccount(sender).Nonce)
        );
        var block = Chain.Produce(proposer, timestamp, candidates, out var rejected);
        foreach (var (transaction, error) in rejected)
        {
            RememberDrop(
                new TransactionStatus(
                    transaction.Id,
                    TransactionState.Dropped,
                    transaction.Signed,
                    Error: error.Code,
                    ErrorMessage: error.Message
                )
            );
            Mempool.Remove([transaction.Id]);
        }
        return block;
    }

    /// <summary>
    /// What became of a transaction. The order of the checks matters: a transaction leaves the mempool only after
    /// its block is durable or its drop is recorded, so looking in the mempool first never misses it in between.
    /// </summary>
    public TransactionStatus GetStatus(Hash256 id)
    {
        if (Mempool.Contains(id))
            return new TransactionStatus(id, TransactionState.Pending);
        if (Chain.Store.FindTransaction(id) is { } location)
        {
            var transaction = SignedTransaction.Decode(location.Encoded, int.MaxValue);
            return new TransactionStatus(
                id,
                TransactionState.Included,
                transaction,
                location.Height,
                location.BlockHash,
                location.Index
            );
        }
        return _dropped.TryGetValue(id, out var dropped)
            ? dropped
            : new TransactionStatus(id, TransactionState.Unknown);
    }

    private void RememberDrop(TransactionStatus status)
    {
        _dropped[status.Id] = status;
        _dropOrder.Enqueue(status.Id);
        while (_dropOrder.Count > MaxRememberedDrops && _dropOrder.TryDequeue(out var old))
            _dropped.TryRemove(old, out _);
    }
}
