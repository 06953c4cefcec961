using Microsoft.Extensions.Logging;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Blocks;
using Veritensor.Ledger.Chain;
using Veritensor.Ledger.Genesis;
using Veritensor.Ledger.Mempool;
using Veritensor.Ledger.Sqlite;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Transactions;
using Veritensor.Wallet;

namespace Veritensor.Node.Hosting;

/// <summary>
/// One node's live parts: the opened chain, its mempool, and the validator key that signs its blocks (if any).
/// Block production, from the timer or on demand, goes through <see cref="ProduceBlock"/>.
/// </summary>
public sealed class NodeRuntime : IDisposable
{
    private readonly ILogger _logger;
    private TaskCompletionSource _nextBlock = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NodeRuntime(NodeOptions options, LedgerService ledger, KeyPair? validator, ILogger logger)
    {
        Options = options;
        Ledger = ledger;
        Validator = validator;
        _logger = logger;
        ledger.Chain.BlockCommitted += _ =>
            Interlocked
                .Exchange(ref _nextBlock, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))
                .TrySetResult();
    }

    public NodeOptions Options { get; }
    public LedgerService Ledger { get; }
    public KeyPair? Validator { get; }
    public Blockchain Chain => Ledger.Chain;

    /// <summary>Opens (or creates from genesis) the chain in the data directory and loads the validator key.</summary>
    public static NodeRuntime Open(NodeOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Directory.CreateDirectory(options.DataDir);
        if (!File.Exists(options.GenesisPath))
            throw new GenesisException(
                $"No genesis file at '{options.GenesisPath}'. Pass --genesis, or start a local network with `veritensor devnet`."
            );
        var genesis = GenesisDocument.Load(options.GenesisPath);
        KeyPair? validator = null;
        if (!string.IsNullOrEmpty(options.Wallet))
        {
            var walletPath = options.WalletPath
                ?? Environment.GetEnvironmentVariable("VERITENSOR_WALLET_PATH")
                ?? Path.Combine(
                    Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
                    ".veritensor",
                    "wallets"
                );
            validator = new WalletStore(walletPath).LoadHotkey(options.Wallet, options.Hotkey);
        }
        SqliteChainStore store;
        try
        {
            store = new SqliteChainStore(options.DatabasePath);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            validator?.Dispose();
            throw new InvalidOperationException(
                $"Cannot open the chain database '{options.DatabasePath}': {e.Message} Restore it from a backup, or start over in a fresh data directory.",
                e
            );
        }
        Blockchain chain;
        try
        {
            // Every node runs the same epoch: it is consensus, and a node without it would compute other state roots.
            chain = Blockchain.Open(store, genesis);
        }
        catch
        {
            store.Dispose();
            validator?.Dispose();
            throw;
        }
        if (
            validator is not null
            && options.BlockProduction != BlockProductionMode.Off
            && !IsValidator(chain, validator.Address)
        )
        {
            var address = validator.Address;
            chain.Dispose();
            validator.Dispose();
            throw new InvalidOperationException(
                $"Hotkey {address} (wallet '{options.Wallet}', hotkey '{options.Hotkey}') is not a registered validator of chain '{genesis.ChainId}', so this node cannot produce blocks. Validators are fixed by the genesis file: use a validator's wallet, or run with --block-production off."
            );
        }
        var mempool = new Mempool(
            new MempoolOptions
            {
                MaxTransactions = options.MempoolMaxTransactions,
                MaxPerSender = options.MempoolMaxPerSender,
            }
        );
        NodeLog.ChainOpened(logger, chain.ChainId, chain.Head.Height, chain.Head.StateRoot.ToString());
        return new NodeRuntime(options, new LedgerService(chain, mempool), validator, logger);
    }

    /// <summary>Whether this node holds the key of a registered validator, so it can produce blocks.</summary>
    public bool CanProduce => Validator is not null && IsValidator(Chain, Validator.Address);

    private static bool IsValidator(Blockchain chain, Address hotkey) =>
        chain.ReadState(view => view.GetNode(hotkey)) is { } node && node.Roles.HasFlag(NodeRoles.Validator);

    /// <summary>Produces one block now with the validator key. Throws when the node has no usable validator key.</summary>
    public Block ProduceBlock(long unixMilliseconds)
    {
        if (Validator is null)
            throw new InvalidOperationException(
                "This node has no validator key (Node:Wallet), so it cannot produce blocks."
            );
        var block = Ledger.ProduceBlock(Validator, unixMilliseconds);
        if (block.Transactions.Count > 0)
            NodeLog.BlockProduced(_logger, block.Height, block.Hash.ToString(), block.Transactions.Count);
        else
            NodeLog.EmptyBlockProduced(_logger, block.Height);
        return block;
    }

    /// <summary>Waits until the transaction is included or dropped, or <paramref name="timeout"/> passes; returns its latest status.</summary>
    public async Task<TransactionStatus> WaitForTransactionAsync(
        Hash256 id,
        TimeSpan timeout,
        CancellationToken cancellationToken
    )
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            var next = Volatile.Read(ref _nextBlock).Task;
            var status = Ledger.GetStatus(id);
            if (status.State is TransactionState.Included or TransactionState.Dropped or TransactionState.Unknown)
                return status;
            try
            {
                await next.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Ledger.GetStatus(id);
            }
        }
    }

    public void Dispose()
    {
        Chain.Dispose();
        Validator?.Dispose();
    }
}
