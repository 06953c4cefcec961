using Veritensor.Core.Crypto;
using Veritensor.Ledger.Blocks;
using Veritensor.Ledger.Execution;
using Veritensor.Ledger.Genesis;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Storage;
using Veritensor.Ledger.Subnets;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Chain;

/// <summary>
/// The chain on one node: the committed state in memory, the durable store under it, and the two ways a
/// block is made final: <see cref="Produce"/> (this node proposes) and <see cref="Import"/> (another node did).
/// Block production and import are serialised; reads of the committed state may run at any time.
/// </summary>
public sealed class Blockchain : IDisposable
{
    private readonly IChainStore _store;
    private readonly WorldState _world = new();
    private readonly ReaderWriterLockSlim _stateLock = new();
    private readonly Lock _writeLock = new();
    private BlockHeader _head;
    private const int RecentHashSlots = 256;
    private readonly (ulong Height, Hash256 Hash)?[] _recentHashes = new (ulong, Hash256)?[RecentHashSlots];

    private readonly ISubnetEpoch _epoch;

    private Blockchain(
        IChainStore store,
        BlockHeader head,
        ChainParameters parameters,
        Hash256 genesisHash,
        ISubnetEpoch epoch
    )
    {
        _store = store;
        _epoch = epoch;
        _head = head;
        Parameters = parameters;
        GenesisHash = genesisHash;
    }

    public IChainStore Store => _store;
    public ChainParameters Parameters { get; }
    public Hash256 GenesisHash { get; }
    public string ChainId => _head.ChainId;
    public BlockHeader Head => Volatile.Read(ref _head);

    /// <summary>Raised after a block is durably committed (on the committing thread).</summary>
    public event Action<Block>? BlockCommitted;

    /// <summary>
    /// The hash of the genesis block <paramref name="genesis"/> describes: what every transaction of that chain signs
    /// beside the chain id (<see cref="Transaction.Genesis"/>). Throws <see cref="GenesisException"/> for an invalid document.
    /// </summary>
    public static Hash256 GenesisHashOf(GenesisDocument genesis) => GenesisState.Build(genesis).Block.Hash;

    /// <summary>
    /// Opens the chain in <paramref name="store"/>: writes the genesis block into an empty store, or resumes a
    /// store made from the same genesis, rebuilding the state in memory and checking it against the head's state root.
    /// The subnet epoch (Yuma, <see cref="YumaSubnetEpoch"/>) is part of the state machine: it runs at each subnet's epoch
    /// blocks on every chain, so no tool can open a chain that computes other state roots.
    /// </summary>
    public static Blockchain Open(IChainStore store, GenesisDocument genesis) =>
        Open(store, genesis, new YumaSubnetEpoch());

    /// <summary>Opens the chain with another epoch in Yuma's place: only for tests of the seam itself (<see cref="ISubnetEpoch"/>).</summary>
    internal static Blockchain Open(IChainStore store, GenesisDocument genesis, ISubnetEpoch epoch)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(epoch);
        var (genesisBlock, genesisChanges, parameters) = GenesisState.Build(genesis);
        if (store.GenesisHash is null)
            store.CommitBlock(genesisBlock, genesisChanges);
        else if (store.GenesisHash != genesisBlock.Hash)
            throw new GenesisException(
                $"The data directory holds a chain with genesis {store.GenesisHash}, but the genesis file gives {genesisBlock.Hash} (chain '{genesis.ChainId}'). Use the genesis the data was made with, or another data directory."
            );

        var head = store.ReadHead()
            ?? throw new InvalidOperationException("The store has a genesis hash but no blocks.");
        var chain = new Blockchain(store, head, parameters, genesisBlock.Hash, epoch);
        var entries = new Dictionary<byte[], byte[]?>(ByteArrayComparer.Instance);
        foreach (var (key, value) in store.ReadAllState())
            entries[key] = value;
        chain._world.Apply(entries);
        var root = chain._world.Root;
        if (root != head.StateRoot)
            throw new InvalidOperationException(
                $"The stored state does not match block {head.Height}: its root is {root}, the block says {head.StateRoot}. The data directory is damaged."
            );
        return chain;
    }

    /// <summary>The hash of committed block <paramref name="height"/>, or null when there is none (inference anchors).</summary>
    public Hash256? BlockHashAt(ulong height)
    {
        var head = Head;
        if (height > head.Height)
            return null;
        if (height == head.Height)
            return head.Hash;
        // Every recorded inference looks up its anchor, usually a recent block: keep those hashes rather than re-read whole blocks.
        var slot = (int)(height % RecentHashSlots);
        lock (_recentHashes)
        {
            if (_recentHashes[slot] is { } cached && cached.Height == height)
                return cached.Hash;
        }
        if (_store.ReadBlock(height)?.Hash is not { } hash)
            return null;
        lock (_recentHashes)
            _recentHashes[slot] = (height, hash);
        return hash;
    }

    public AccountState GetAccount(Address address) => ReadState(view => view.GetAccount(address));

    /// <summary>Runs <paramref name="read"/> against the committed state, consistently (no block lands halfway through).</summary>
    public T ReadState<T>(Func<IStateView, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        _stateLock.EnterReadLock();
        try
        {
            return read(new ReadOnlyView(_world));
        }
        finally
        {
            _stateLock.ExitReadLock();
        }
    }

    /// <summary>
    /// Builds, signs and commits the next block from <paramref name="candidates"/> (in order). Candidates that fail
    /// are left out and returned in <paramref name="rejected"/> with the reason. The proposer must be a registered validator.
    /// </summary>
    public Block Produce(
        KeyPair proposer,
        long timestamp,
        IReadOnlyList<VerifiedTransaction> candidates,
        out IReadOnlyList<(VerifiedTransaction Transaction, LedgerException Error)> rejected
    )
    {
        ArgumentNullException.ThrowIfNull(proposer);
        ArgumentNullException.ThrowIfNull(candidates);
        lock (_writeLock)
        {
            var parent = _head;
            if (!IsValidator(proposer.Address))
                throw new InvalidOperationException(
                    $"{proposer.Address} is not a registered validator of chain '{ChainId}', so it cannot propose blocks."
                );
            var context = new BlockContext(
                ChainId,
                GenesisHash,
                parent.Height + 1,
                Math.Max(timestamp, parent.Timestamp),
                proposer.Address,
                Parameters,
                BlockHashAt
            );
            var overlay = new StateOverlay(_world);
            var included = new List<SignedTransaction>(Math.Min(candidates.Count, Parameters.MaxBlockTransactions));
            var failed = new List<(VerifiedTransaction, LedgerException)>();
            foreach (var candidate in candidates)
            {
                if (included.Count == Parameters.MaxBlockTransactions)
                    break;
                try
                {
                    TransactionExecutor.Execute(overlay, candidate.Signed, context);
                    included.Add(candidate.Signed);
                }
                catch (LedgerException e)
                {
                    failed.Add((candidate, e));
                }
            }
            EndBlock(overlay, context);
            rejected = failed;
            return Commit(overlay.Changes, stateRoot =>
                Block.Sign(
                    new BlockHeader(
                        ChainId,
                        context.Height,
                        parent.Hash,
                        context.Timestamp,
                        proposer.Address,
                        Block.ComputeTransactionRoot(included),
                        stateRoot,
                        (uint)included.Count
                    ),
                    included,
                    proposer
                )
            );
        }
    }

    /// <summary>
    /// Validates a block made elsewhere (parent, height, time, proposer and its signature, every transaction's
    /// signatures on all cores, transaction root, state root) and commits it. Throws <see cref="LedgerException"/>
    /// with <see cref="ErrorCode.InvalidBlock"/> and changes nothing when any check fails.
    /// </summary>
    public void Import(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        lock (_writeLock)
        {
            var parent = _head;
            var header = block.Header;
            Require(header.ChainId == ChainId, $"it is for chain '{header.ChainId}'");
            Require(header.Height == parent.Height + 1, $"its height is {header.Height}, expected {parent.Height + 1}");
            Require(header.ParentHash == parent.Hash, $"its parent {header.ParentHash} is not the head {parent.Hash}");
            Require(header.Timestamp >= parent.Timestamp, "its timestamp is before its parent's");
            Require(
                header.TransactionCount == block.Transactions.Count,
                "its transaction count does not match its body"
            );
            Require(
                block.Transactions.Count <= Parameters.MaxBlockTransactions,
                $"it holds more than {Parameters.MaxBlockTransactions} transactions"
            );
            Require(IsValidator(header.Proposer), $"its proposer {header.Proposer} is not a registered validator");
            Require(block.VerifyProposerSignature(), "the proposer's signature does not verify");
            Require(
                Block.ComputeTransactionRoot(block.Transactions) == header.TransactionRoot,
                "its transaction root does not match its transactions"
            );
            var verified = VerifiedTransaction.VerifyAll(block.Transactions);
            for (var i = 0; i < verified.Count; i++)
                Require(
                    verified[i].Check == SignatureCheck.Valid,
                    $"transaction {i} ({block.Transactions[i].Id}) fails its signature check ({verified[i].Check})"
                );

            var context = new BlockContext(
                ChainId,
                GenesisHash,
                header.Height,
                header.Timestamp,
                header.Proposer,
                Parameters,
                BlockHashAt
            );
            var overlay = new StateOverlay(_world);
            for (var i = 0; i < block.Transactions.Count; i++)
            {
                try
                {
                    TransactionExecutor.Execute(overlay, block.Transactions[i], context);
                }
                catch (LedgerException e)
                {
                    throw new LedgerException(
                        ErrorCode.InvalidBlock,
                        $"Block {header.Height} rejected: transaction {i} fails: [{e.Code}] {e.Message}"
                    );
                }
            }
            EndBlock(overlay, context);
            Commit(overlay.Changes, stateRoot =>
                stateRoot == header.StateRoot
                    ? block
                    : throw new LedgerException(
                        ErrorCode.InvalidBlock,
                        $"Block {header.Height} rejected: its state root {header.StateRoot} differs from the computed {stateRoot}."
                    )
            );
        }
    }

    /// <summary>
    /// The one way a block becomes final: apply its changes to the in-memory state, let <paramref name="seal"/> turn
    /// the new state root into the block (sign it, or check it against an imported header), write it durably, then
    /// move the head. Any failure before the write leaves the state as it was.
    /// </summary>
    private Block Commit(IReadOnlyDictionary<byte[], byte[]?> changes, Func<Hash256, Block> seal)
    {
        var undo = ApplyToWorld(changes);
        Block block;
        try
        {
            block = seal(_world.Root);
            _store.CommitBlock(block, changes);
        }
        catch
        {
            UndoWorld(undo);
            throw;
        }
        Volatile.Write(ref _head, block.Header);
        BlockCommitted?.Invoke(block);
        return block;
    }

    private StateUndo ApplyToWorld(IReadOnlyDictionary<byte[], byte[]?> changes)
    {
        _stateLock.EnterWriteLock();
        try
        {
            return _world.Apply(changes);
        }
        finally
        {
            _stateLock.ExitWriteLock();
        }
    }

    private void UndoWorld(StateUndo undo)
    {
        _stateLock.EnterWriteLock();
        try
        {
            _world.Undo(undo);
        }
        finally
        {
            _stateLock.ExitWriteLock();
        }
    }

    private bool IsValidator(Address hotkey) =>
        ReadState(view => view.GetNode(hotkey) is { } node && node.Roles.HasFlag(Transactions.NodeRoles.Validator));

    private static void Require(bool condition, string reason)
    {
        if (!condition)
            throw new LedgerException(ErrorCode.InvalidBlock, $"Block rejected: {reason}.");
    }

    public void Dispose()
    {
        _stateLock.Dispose();
        _store.Dispose();
    }

    /// <summary>Read access to the committed state; writes are a programming error.</summary>
    private sealed class ReadOnlyView(WorldState world) : IStateView
    {
        public byte[]? Get(byte[] key) => world.Get(key);

        public void Set(byte[] key, byte[] value) =>
            throw new InvalidOperationException("The committed state is read-only.");

        public void Delete(byte[] key) => throw new InvalidOperationException("The committed state is read-only.");
    }

    /// <summary>
    /// What every block does after its transactions, in this order, whether it is built here or imported: subnet emission
    /// and epochs, unbonding releases that fell due, and the verifier index's history for the anchor window.
    /// </summary>
    private void EndBlock(StateOverlay overlay, BlockContext context)
    {
        SubnetEpochStep.Run(overlay, context, _epoch);
        Unbonding.ReleaseDue(overlay, context.Height);
        VerifierHistory.EndBlock(overlay, context.Height);
    }
}
