using Microsoft.Extensions.Configuration;
using Veritensor.Ledger.Mempool;

namespace Veritensor.Node.Hosting;

/// <summary>How blocks get made on this node.</summary>
public enum BlockProductionMode
{
    /// <summary>Every <see cref="NodeOptions.BlockIntervalMs"/> (the default).</summary>
    Interval,

    /// <summary>Only when asked through POST /v1/dev/blocks: for tests and scripted demos.</summary>
    Manual,

    /// <summary>Never: the node serves its API over existing data and refuses new transactions.</summary>
    Off,
}

/// <summary>
/// The node's settings, bound from the "Node" configuration section (appsettings.json, environment variables
/// VERITENSOR_Node__Key, command-line flags). Every default is the devnet's.
/// </summary>
public sealed class NodeOptions
{
    public const string SectionName = "Node";

    /// <summary>Directory for the chain database. Default ./.veritensor-node.</summary>
    public string DataDir { get; set; } = ".veritensor-node";

    /// <summary>Genesis file. Default DATA_DIR/genesis.json.</summary>
    public string? Genesis { get; set; }

    /// <summary>Address the HTTP API listens on. Loopback by default; port 0 picks a free port; https needs <see cref="CertificatePath"/>.</summary>
    public string Listen { get; set; } = "http://127.0.0.1:9650";

    /// <summary>An https listener's certificate: a PKCS#12 file (with <see cref="CertificatePassword"/>) or a PEM file (with <see cref="CertificateKeyPath"/>).</summary>
    public string? CertificatePath { get; set; }
    public string? CertificatePassword { get; set; }
    public string? CertificateKeyPath { get; set; }

    public ListenerTls Tls => new(CertificatePath, CertificatePassword, CertificateKeyPath);

    public BlockProductionMode BlockProduction { get; set; } = BlockProductionMode.Interval;

    /// <summary>Milliseconds between blocks in interval mode. Default 1000.</summary>
    public int BlockIntervalMs { get; set; } = 1000;

    /// <summary>Wallet directory holding the validator's hotkey. Default $VERITENSOR_WALLET_PATH, else ~/.veritensor/wallets.</summary>
    public string? WalletPath { get; set; }

    /// <summary>Wallet whose hotkey signs blocks. Without it the node produces no blocks.</summary>
    public string? Wallet { get; set; }

    /// <summary>Hotkey name inside <see cref="Wallet"/>. Default "default".</summary>
    public string Hotkey { get; set; } = "default";

    /// <summary>Console log format: "simple" (one line per event, for people) or "json" (one JSON object per event, for log collectors).</summary>
    public string LogFormat { get; set; } = "simple";

    /// <summary>Largest accepted request body in bytes. Default 64 KiB.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Largest blob (model file) this node stores through POST /v1/blobs. Default 256 MiB.</summary>
    public long MaxBlobBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Blob bytes one account may store through POST /v1/blobs per hour. Default 1 GiB.</summary>
    public long MaxUploadBytesPerHour { get; set; } = 1L << 30;

    /// <summary>
    /// How long an uploaded blob that no published model references is kept before the blob sweep deletes it: the time
    /// an owner has between uploading a model and publishing it. Default 3600 s.
    /// </summary>
    public int UnreferencedBlobGraceSeconds { get; set; } = 3600;

    /// <summary>Seconds between blob sweeps (0 turns them off). Default 600.</summary>
    public int BlobSweepIntervalSeconds { get; set; } = 600;

    /// <summary>Free disk space a blob upload must leave in the data directory's file system. Default 512 MiB.</summary>
    public long MinFreeDiskBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>
    /// Free disk space below which the node produces no block (it waits and logs, instead of failing a commit half way
    /// and exiting). Default 64 MiB.
    /// </summary>
    public long MinFreeDiskBytesForBlocks { get; set; } = 64L * 1024 * 1024;

    /// <summary>Whether the data directory's file system has room for the next block (<see cref="MinFreeDiskBytesForBlocks"/>).</summary>
    public bool HasRoomForBlocks(out long free)
    {
        free = new DriveInfo(Path.GetFullPath(DataDir)).AvailableFreeSpace;
        return free >= MinFreeDiskBytesForBlocks;
    }

    public int MempoolMaxTransactions { get; set; } = new MempoolOptions().MaxTransactions;
    public int MempoolMaxPerSender { get; set; } = new MempoolOptions().MaxPerSender;

    public string GenesisPath => Genesis ?? Path.Combine(DataDir, "genesis.json");
    public string DatabasePath => Path.Combine(DataDir, "chain.db");
    public string BlobDirectory => Path.Combine(DataDir, "blobs");

    /// <summary>The "Node" section of <paramref name="configuration"/>, validated; a value that does not parse or is out of range throws <see cref="ArgumentException"/> naming the setting.</summary>
    public static NodeOptions Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        NodeOptions options;
        try
        {
            options = configuration
                .GetSection(SectionName)
                .Get<NodeOptions>(binder => binder.ErrorOnUnknownConfiguration = true)
                ?? new NodeOptions();
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"The {SectionName} settings do not bind: {e.Message}", e);
        }
        options.Validate();
        return options;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDir))
            throw new ArgumentException("Node:DataDir must be set.");
        if (BlockIntervalMs is < 10 or > 3_600_000)
            throw new ArgumentException($"Node:BlockIntervalMs must be between 10 and 3600000, got {BlockIntervalMs}.");
        if (MaxRequestBodyBytes is < 1024 or > 64 * 1024 * 1024)
            throw new ArgumentException(
                $"Node:MaxRequestBodyBytes must be between 1024 and 67108864, got {MaxRequestBodyBytes}."
            );
        if (MaxBlobBytes is < 1024 or > 8L << 30)
            throw new ArgumentException($"Node:MaxBlobBytes must be between 1024 and 8 GiB, got {MaxBlobBytes}.");
        if (MaxUploadBytesPerHour < MaxBlobBytes)
            throw new ArgumentException(
                $"Node:MaxUploadBytesPerHour must be at least Node:MaxBlobBytes ({MaxBlobBytes}), got {MaxUploadBytesPerHour}."
            );
        if (MinFreeDiskBytesForBlocks < 0)
            throw new ArgumentException(
                $"Node:MinFreeDiskBytesForBlocks must not be negative, got {MinFreeDiskBytesForBlocks}."
            );
        if (UnreferencedBlobGraceSeconds < 0)
            throw new ArgumentException(
                $"Node:UnreferencedBlobGraceSeconds must not be negative, got {UnreferencedBlobGraceSeconds}."
            );
        if (BlobSweepIntervalSeconds < 0)
            throw new ArgumentException(
                $"Node:BlobSweepIntervalSeconds must not be negative (0 turns sweeps off), got {BlobSweepIntervalSeconds}."
            );
        if (MinFreeDiskBytes < 0)
            throw new ArgumentException($"Node:MinFreeDiskBytes must not be negative, got {MinFreeDiskBytes}.");
        if (MempoolMaxTransactions < 1)
            throw new ArgumentException($"Node:MempoolMaxTransactions must be positive, got {MempoolMaxTransactions}.");
        if (MempoolMaxPerSender < 1)
            throw new ArgumentException($"Node:MempoolMaxPerSender must be positive, got {MempoolMaxPerSender}.");
        if (LogFormat is not ("simple" or "json"))
            throw new ArgumentException($"Node:LogFormat must be 'simple' or 'json', got '{LogFormat}'.");
        Tls.Validate("Node", Listen, "http://127.0.0.1:9650");
    }
}
