using Veritensor.Core.Crypto;
using Veritensor.Ledger.Blocks;
using Veritensor.Ledger.Chain;
using Veritensor.Ledger.Genesis;
using Veritensor.Ledger.Sqlite;
using Veritensor.Ledger.Subnets;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Tests.Support;

/// <summary>
/// A <see cref="Blockchain"/> on a <see cref="SqliteChainStore"/> in a fresh temporary directory (deleted on dispose),
/// opened from <see cref="DefaultGenesis"/> unless told otherwise: alice, bob and charlie hold 1000 tokens each, and
/// <see cref="Keys.Validator"/> is the one validator, with 100 tokens staked by <see cref="Keys.ValidatorCold"/>.
/// </summary>
internal sealed class TestChain : IDisposable
{
    public const string ChainId = "veritensor-test";
    public const long GenesisTime = 1_700_000_000_000;
    public const ulong FundedTokens = 1000;
    public const ulong ValidatorStakeTokens = 100;
    public const ulong IssuanceTokens = 3 * FundedTokens + ValidatorStakeTokens;

    /// <summary>The genesis hash of <see cref="DefaultGenesis"/>, which <see cref="Tx"/> signs unless told otherwise.</summary>
    public static readonly Hash256 DefaultGenesisHash = Blockchain.GenesisHashOf(DefaultGenesis());
    private readonly ISubnetEpoch? _epoch;
    private long _clock = GenesisTime;

    public TestChain(GenesisDocument? genesis = null, ISubnetEpoch? epoch = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("veritensor-ledger-tests-").FullName;
        _epoch = epoch;
        Genesis = genesis ?? DefaultGenesis();
        Chain = Open();
        Tx.CurrentGenesis = Chain.GenesisHash;
    }

    public string Directory { get; }
    public string DatabasePath => Path.Combine(Directory, "chain.db");
    public GenesisDocument Genesis { get; }
    public Blockchain Chain { get; private set; }

    public static GenesisDocument DefaultGenesis(string chainId = ChainId) =>
        new()
        {
            ChainId = chainId,
            Timestamp = GenesisTime,
            Balances =
            [
                new()
                {
                    Address = Keys.Alice.Address.ToString(),
                    Amount = FundedTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
                new()
                {
                    Address = Keys.Bob.Address.ToString(),
                    Amount = FundedTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
                new()
                {
                    Address = Keys.Charlie.Address.ToString(),
                    Amount = FundedTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
            ],
            Validators =
            [
                new()
                {
                    Hotkey = Keys.Validator.Address.ToString(),
                    Coldkey = Keys.ValidatorCold.Address.ToString(),
                    Endpoint = "http://127.0.0.1:7100",
                    Stake = ValidatorStakeTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
            ],
        };

    /// <summary>Opens the chain as every tool does (with Yuma), or with the seam test's own epoch.</summary>
    public Blockchain Open() =>
        _epoch is null
            ? Blockchain.Open(new SqliteChainStore(DatabasePath), Genesis)
            : Blockchain.Open(new SqliteChainStore(DatabasePath), Genesis, _epoch);

    /// <summary>Closes the chain and opens it again from the same database file.</summary>
    public Blockchain Reopen()
    {
        Chain.Dispose();
        return Chain = Open();
    }

    /// <summary>Produces the next block (one second after the last) from <paramref name="transactions"/>, which must all apply.</summary>
    public Block Produce(params SignedTransaction[] transactions)
    {
        var block = Produce(transactions, out var rejected);
        Assert.Empty(rejected.Select(r => $"{r.Error.Code}: {r.Error.Message}"));
        return block;
    }

    public Block Produce(
        IReadOnlyList<SignedTransaction> transactions,
        out IReadOnlyList<(VerifiedTransaction Transaction, LedgerException Error)> rejected
    ) =>
        Chain.Produce(
            Keys.Validator,
            NextTimestamp(),
            transactions.Select(VerifiedTransaction.Verify).ToArray(),
            out rejected
        );

    public long NextTimestamp() => _clock += 1000;

    public void Dispose()
    {
        Chain.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException) { }
    }
}
