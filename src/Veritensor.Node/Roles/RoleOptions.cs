using Microsoft.Extensions.Configuration;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Node.Roles;

/// <summary>The role a role server plays. A gateway takes users' requests; inference nodes execute; verifiers re-execute and attest.</summary>
public enum ServerRole
{
    Gateway,
    Inference,
    Verifier,
}

/// <summary>
/// Settings of a gateway, inference or verification server, bound from the "Role" configuration section
/// (<see cref="Hosting.SettingsSources"/>: appsettings.json, --config, VERITENSOR_Role__Key variables, flags). Defaults
/// suit a devnet and are written here only; <see cref="ForRole"/> gives each role its own port and data directory.
/// </summary>
public sealed class RoleOptions
{
    public const string SectionName = "Role";

    /// <summary>The defaults of a <paramref name="role"/> server: the devnet's port for it and a data directory named after it.</summary>
    public static RoleOptions ForRole(ServerRole role) =>
        new()
        {
            Role = role,
            Listen = role switch
            {
                ServerRole.Gateway => GatewayListen,
                ServerRole.Inference => "http://127.0.0.1:9652",
                _ => "http://127.0.0.1:9654",
            },
            DataDir = $".veritensor-{role.ToString().ToLowerInvariant()}",
        };

    /// <summary>
    /// A <paramref name="role"/> server's settings: its defaults, overridden by the "Role" section of
    /// <paramref name="configuration"/>, validated. A value that does not parse, an unknown key or one out of range
    /// throws <see cref="ArgumentException"/> naming it.
    /// </summary>
    public static RoleOptions Bind(IConfiguration configuration, ServerRole role)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = ForRole(role);
        try
        {
            configuration.GetSection(SectionName).Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"The {SectionName} settings do not bind: {e.Message}", e);
        }
        if (options.Role != role)
            throw new ArgumentException($"Role:Role is {options.Role}, but this command runs a {role} server.");
        options.Validate();
        return options;
    }

    public ServerRole Role { get; set; } = ServerRole.Gateway;

    /// <summary>
    /// Inference servers only: serve the verifier endpoints too, for a hotkey registered with both roles. The ledger never
    /// draws such a node to verify a request it executed itself.
    /// </summary>
    public bool AlsoVerify { get; set; }

    /// <summary>The ledger roles this server's hotkey registers with.</summary>
    public NodeRoles LedgerRoles =>
        Role switch
        {
            ServerRole.Gateway => NodeRoles.Gateway,
            ServerRole.Inference => AlsoVerify ? NodeRoles.Inference | NodeRoles.Verifier : NodeRoles.Inference,
            _ => NodeRoles.Verifier,
        };

    /// <summary>Address this server listens on; loopback by default, port 0 picks a free port; https needs <see cref="CertificatePath"/>.</summary>
    public string Listen { get; set; } = GatewayListen;

    /// <summary>An https listener's certificate: a PKCS#12 file (with <see cref="CertificatePassword"/>) or a PEM file (with <see cref="CertificateKeyPath"/>).</summary>
    public string? CertificatePath { get; set; }
    public string? CertificatePassword { get; set; }
    public string? CertificateKeyPath { get; set; }

    public Hosting.ListenerTls Tls => new(CertificatePath, CertificatePassword, CertificateKeyPath);

    private const string GatewayListen = "http://127.0.0.1:9651";

    /// <summary>The ledger node whose /v1 API this server reads and sends transactions to.</summary>
    public string Ledger { get; set; } = "http://127.0.0.1:9650";

    /// <summary>Where models (blob store) and other files of this server live.</summary>
    public string DataDir { get; set; } = ".veritensor-gateway";

    /// <summary>ONNX Runtime intra-op threads. Part of the execution profile; 1 gives bit-identical results across runs.</summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Largest model file this server will fetch and load. Default 256 MiB.</summary>
    public long MaxModelBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Largest request body accepted (inputs included). Default 16 MiB.</summary>
    public long MaxRequestBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Gateway: milliseconds before an inference node counts as failed and another is tried.</summary>
    public int ExecutorTimeoutMs { get; set; } = 30_000;

    /// <summary>Inference and verification nodes: milliseconds one model run may take before ONNX Runtime is stopped.</summary>
    public int MaxRunTimeMs { get; set; } = 20_000;

    /// <summary>Inference and verification nodes: models kept loaded; past it the least recently used idle one is unloaded.</summary>
    public int MaxLoadedModels { get; set; } = 32;

    /// <summary>
    /// Inference and verification nodes: the most memory model runs may allocate together (one arena for the process);
    /// a run that needs more fails with InvalidInput. Default 2 GiB.
    /// </summary>
    public long MaxModelMemoryBytes { get; set; } = 2L << 30;

    /// <summary>Gateway: how requests are recorded when the client does not say: "single" or "batch".</summary>
    public string DefaultRecord { get; set; } = "single";

    /// <summary>Gateway: a batch is sent when it holds this many records or its oldest waited <see cref="BatchDelayMs"/>.</summary>
    public int BatchSize { get; set; } = 16;
    public int BatchDelayMs { get; set; } = 500;

    /// <summary>Gateway: bytes of tensors the gateway keeps of recent answers (for GET /v1/inference/{id} and disputes); the oldest go first.</summary>
    public long MaxStoredResultBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Gateway: probability (0..1) that each drawn verifier of a request is audited on it (<see cref="Gateway.AuditService"/>).</summary>
    public double AuditRate { get; set; } = 0.05;

    /// <summary>
    /// Whether this server may call peers (inference and verification nodes named by their ledger registrations) on
    /// loopback, private, link-local or unique-local addresses. Off by default: a registration is anyone's to write, and
    /// a gateway that calls it must not be turned against its own network. The devnet and private test networks turn
    /// it on.
    /// </summary>
    public bool AllowPrivatePeers { get; set; }

    public string LogFormat { get; set; } = "simple";

    public Uri LedgerUri => new(Ledger.EndsWith('/') ? Ledger : Ledger + "/");

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Tls.Validate("Role", Listen, "http://127.0.0.1:9651");
        if (!Uri.TryCreate(Ledger, UriKind.Absolute, out var ledger) || ledger.Scheme is not ("http" or "https"))
            throw new ArgumentException($"Role:Ledger must be the http URL of a ledger node, got '{Ledger}'.");
        if (string.IsNullOrWhiteSpace(DataDir))
            throw new ArgumentException("Role:DataDir must be set.");
        if (IntraOpThreads is < 1 or > 256)
            throw new ArgumentException($"Role:IntraOpThreads must be between 1 and 256, got {IntraOpThreads}.");
        if (MaxModelBytes is < 1024 or > 8L << 30)
            throw new ArgumentException($"Role:MaxModelBytes must be between 1024 and 8 GiB, got {MaxModelBytes}.");
        if (MaxRequestBytes is < 1024 or > 1L << 30)
            throw new ArgumentException($"Role:MaxRequestBytes must be between 1024 and 1 GiB, got {MaxRequestBytes}.");
        if (MaxStoredResultBytes < MaxRequestBytes)
            throw new ArgumentException(
                $"Role:MaxStoredResultBytes must be at least Role:MaxRequestBytes ({MaxRequestBytes}), got {MaxStoredResultBytes}."
            );
        if (MaxRunTimeMs is < 10 or > 600_000)
            throw new ArgumentException($"Role:MaxRunTimeMs must be between 10 and 600000, got {MaxRunTimeMs}.");
        if (MaxModelMemoryBytes is < 16L << 20 or > uint.MaxValue)
            throw new ArgumentException(
                $"Role:MaxModelMemoryBytes must be between 16 MiB and {uint.MaxValue} bytes, got {MaxModelMemoryBytes}."
            );
        if (MaxLoadedModels is < 1 or > 10_000)
            throw new ArgumentException($"Role:MaxLoadedModels must be between 1 and 10000, got {MaxLoadedModels}.");
        if (ExecutorTimeoutMs is < 10 or > 600_000)
            throw new ArgumentException(
                $"Role:ExecutorTimeoutMs must be between 10 and 600000, got {ExecutorTimeoutMs}."
            );
        if (DefaultRecord is not ("single" or "batch"))
            throw new ArgumentException($"Role:DefaultRecord must be 'single' or 'batch', got '{DefaultRecord}'.");
        if (BatchSize is < 1 or > 1000)
            throw new ArgumentException($"Role:BatchSize must be between 1 and 1000, got {BatchSize}.");
        if (BatchDelayMs is < 1 or > 60_000)
            throw new ArgumentException($"Role:BatchDelayMs must be between 1 and 60000, got {BatchDelayMs}.");
        if (AuditRate is < 0 or > 1 || double.IsNaN(AuditRate))
            throw new ArgumentException($"Role:AuditRate must be between 0 and 1, got {AuditRate}.");
        if (AlsoVerify && Role != ServerRole.Inference)
            throw new ArgumentException($"Role:AlsoVerify is only for inference servers, not for a {Role} server.");
        if (LogFormat is not ("simple" or "json"))
            throw new ArgumentException($"Role:LogFormat must be 'simple' or 'json', got '{LogFormat}'.");
    }
}
