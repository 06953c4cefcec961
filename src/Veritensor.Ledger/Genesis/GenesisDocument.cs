using System.Text.Json;
using System.Text.Json.Serialization;

namespace Veritensor.Ledger.Genesis;

/// <summary>
/// The genesis file (JSON): chain id, start time, parameters, initial balances and validators. Amounts are
/// token strings with up to 9 decimals ("1000", "0.5") so no precision is lost in JSON.
/// </summary>
public sealed class GenesisDocument
{
    public string ChainId { get; set; } = "";

    /// <summary>Unix milliseconds of the genesis block.</summary>
    public long Timestamp { get; set; }

    public GenesisParameters Parameters { get; set; } = new();
    public List<GenesisBalance> Balances { get; set; } = [];
    public List<GenesisValidator> Validators { get; set; } = [];

    /// <summary>The subnet emission schedule; null (left out) means the defaults.</summary>
    public GenesisEmission? Emission { get; set; }

    /// <summary>Chain-wide subnet rules (lock cost, minimum tempo); null (left out) means the defaults.</summary>
    public GenesisSubnets? Subnets { get; set; }

    /// <summary>The inference economics; absent means the defaults (and nothing is stored, so such a genesis hashes as before).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public GenesisInference? Inference { get; set; }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static GenesisDocument Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new GenesisException($"Cannot read genesis file '{path}': {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new GenesisException($"Cannot read genesis file '{path}': {e.Message}");
        }
        return Parse(text, path);
    }

    public static GenesisDocument Parse(string json, string source = "genesis")
    {
        try
        {
            return JsonSerializer.Deserialize<GenesisDocument>(json, JsonOptions)
                ?? throw new GenesisException($"{source}: the file is empty.");
        }
        catch (JsonException e)
        {
            throw new GenesisException($"{source}: not valid genesis JSON ({e.Message}).");
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public void Save(string path) => File.WriteAllText(path, ToJson());
}

public sealed class GenesisParameters
{
    public string MinFee { get; set; } = "0.0001";
    public int MaxTransactionBytes { get; set; } = 4096;
    public int MaxBlockTransactions { get; set; } = 10_000;

    /// <summary>Tokens burned per byte of each transaction, besides its fee (<see cref="ChainParameters.ByteFee"/>).</summary>
    public string ByteFee { get; set; } = "0";

    /// <summary>Tokens burned per byte of state a transaction adds (<see cref="ChainParameters.StateByteFee"/>).</summary>
    public string StateByteFee { get; set; } = "0";
}

public sealed class GenesisBalance
{
    public string Address { get; set; } = "";
    public string Amount { get; set; } = "0";
}

public sealed class GenesisValidator
{
    public string Hotkey { get; set; } = "";
    public string Coldkey { get; set; } = "";
    public string Endpoint { get; set; } = "";
    public string Stake { get; set; } = "0";
}

/// <summary>The optional <c>inference</c> section: every field may be left out for its default (see <c>InferenceParameters</c>).</summary>
public sealed class GenesisInference
{
    public uint OwnerShareBps { get; set; } = 2000;
    public uint ExecutorShareBps { get; set; } = 7000;
    public uint TreasuryShareBps { get; set; } = 1000;
    public uint VerificationFeeBps { get; set; } = 10_000;
    public int FullVerifiers { get; set; } = 2;
    public uint SamplingRatePpm { get; set; } = 100_000;
    public int DisputeQuorum { get; set; } = 3;
    public uint SlashBps { get; set; } = 1000;
    public string MinNodeStake { get; set; } = "10";
    public ulong AnchorWindow { get; set; } = 64;
    public string ReportBond { get; set; } = "1";
    public ulong DisputeWindow { get; set; } = 600;
}
