using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Genesis;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Tests;

[UnitTest]
public sealed class GenesisTests
{
    private static GenesisException Invalid(Action<GenesisDocument> change)
    {
        var genesis = TestChain.DefaultGenesis();
        change(genesis);
        return Assert.Throws<GenesisException>(() => GenesisState.Build(genesis));
    }

    public static TheoryData<string, string> InvalidDocuments =>
        new()
        {
            { "bad balance address", "balances[1].address" },
            { "non-base58 balance address", "balances[2].address" },
            { "bad balance amount", "balances[0].amount" },
            { "too many decimals", "balances[1].amount" },
            { "negative amount", "balances[2].amount" },
            { "duplicate balance", "balances[1].address" },
            { "no validators", "validators" },
            { "bad validator hotkey", "validators[0].hotkey" },
            { "bad validator coldkey", "validators[0].coldkey" },
            { "bad validator endpoint", "validators[0].endpoint" },
            { "bad validator stake", "validators[0].stake" },
            { "duplicate validator", "validators[1].hotkey" },
            { "empty chain id", "chainId" },
            { "chain id too long", "chainId" },
            { "bad min fee", "parameters.minFee" },
            { "transaction limit too small", "maxTransactionBytes" },
            { "transaction limit too large", "maxTransactionBytes" },
            { "no transactions per block", "maxBlockTransactions" },
            { "too many transactions per block", "maxBlockTransactions" },
            { "issuance overflow", "larger than an amount can hold" },
        };

    private static void Break(GenesisDocument g, string how)
    {
        switch (how)
        {
            case "bad balance address":
                g.Balances[1].Address = "not-an-address";
                break;
            case "non-base58 balance address":
                g.Balances[2].Address = "é" + g.Balances[2].Address;
                break;
            case "bad balance amount":
                g.Balances[0].Amount = "lots";
                break;
            case "too many decimals":
                g.Balances[1].Amount = "1.0000000001";
                break;
            case "negative amount":
                g.Balances[2].Amount = "-5";
                break;
            case "duplicate balance":
                g.Balances[1].Address = g.Balances[0].Address;
                break;
            case "no validators":
                g.Validators.Clear();
                break;
            case "bad validator hotkey":
                g.Validators[0].Hotkey = "";
                break;
            case "bad validator coldkey":
                g.Validators[0].Coldkey = g.Validators[0].Coldkey[..^1];
                break;
            case "bad validator endpoint":
                g.Validators[0].Endpoint = "tcp://127.0.0.1:7000";
                break;
            case "bad validator stake":
                g.Validators[0].Stake = "1,000";
                break;
            case "duplicate validator":
                g.Validators.Add(g.Validators[0]);
                break;
            case "empty chain id":
                g.ChainId = " ";
                break;
            case "chain id too long":
                g.ChainId = new string('x', 65);
                break;
            case "bad min fee":
                g.Parameters.MinFee = "0.0000000001";
                break;
            case "transaction limit too small":
                g.Parameters.MaxTransactionBytes = 255;
                break;
            case "transaction limit too large":
                g.Parameters.MaxTransactionBytes = (1 << 20) + 1;
                break;
            case "no transactions per block":
                g.Parameters.MaxBlockTransactions = 0;
                break;
            case "too many transactions per block":
                g.Parameters.MaxBlockTransactions = 100_001;
                break;
            case "issuance overflow":
                g.Balances[0].Amount = "18446744073";
                g.Balances[1].Amount = "1";
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(how), how, null);
        }
    }

    [Theory]
    [MemberData(nameof(InvalidDocuments))]
    public void An_invalid_genesis_is_refused_naming_the_field(string how, string field)
    {
        var e = Invalid(g => Break(g, how));
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_balance_says_it_is_listed_twice()
    {
        var e = Invalid(g => g.Balances[2].Address = g.Balances[0].Address);
        Assert.StartsWith("balances[2].address:", e.Message, StringComparison.Ordinal);
        Assert.Contains("listed twice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_boundary_values_of_the_parameters_are_accepted()
    {
        var genesis = TestChain.DefaultGenesis();
        genesis.Parameters = new GenesisParameters
        {
            MinFee = "0",
            MaxTransactionBytes = 256,
            MaxBlockTransactions = 1,
        };
        var (_, _, parameters) = GenesisState.Build(genesis);
        Assert.Equal(
            new ChainParameters
            {
                MinFee = Amount.Zero,
                MaxTransactionBytes = 256,
                MaxBlockTransactions = 1,
            },
            parameters
        );
        genesis.Parameters = new GenesisParameters { MaxTransactionBytes = 1 << 20, MaxBlockTransactions = 100_000 };
        Assert.Equal(1 << 20, GenesisState.Build(genesis).Parameters.MaxTransactionBytes);
    }

    [Fact]
    public void The_genesis_state_holds_the_balances_validators_stakes_issuance_and_parameters()
    {
        var genesis = TestChain.DefaultGenesis();
        genesis.Parameters.MinFee = "0.5";
        var (block, changes, parameters) = GenesisState.Build(genesis);
        var world = new WorldState();
        world.Apply(changes);
        var state = new StateOverlay(world);

        foreach (var key in new[] { Keys.Alice, Keys.Bob, Keys.Charlie })
            Assert.Equal(new AccountState(Amount.FromTokens(TestChain.FundedTokens), 0), state.GetAccount(key.Address));
        Assert.Equal(default, state.GetAccount(Keys.Dave.Address));
        Assert.Equal(
            new NodeRecord(Keys.ValidatorCold.Address, NodeRoles.Validator, "http://127.0.0.1:7100", 0),
            state.GetNode(Keys.Validator.Address)
        );
        Assert.Equal(
            Amount.FromTokens(TestChain.ValidatorStakeTokens),
            state.GetStake(Keys.ValidatorCold.Address, Keys.Validator.Address)
        );
        Assert.Equal(Amount.FromTokens(TestChain.ValidatorStakeTokens), state.GetHotkeyStake(Keys.Validator.Address));
        Assert.Equal(Amount.FromTokens(TestChain.IssuanceTokens), state.GetTotalIssuance());
        Assert.Equal(parameters, state.GetParameters());
        Assert.Equal(Amount.ParseTokens("0.5"), parameters.MinFee);

        Assert.Equal(0UL, block.Height);
        Assert.Equal(Hash256.Zero, block.Header.ParentHash);
        Assert.Equal(Address.Zero, block.Header.Proposer);
        Assert.Equal(TestChain.GenesisTime, block.Header.Timestamp);
        Assert.Equal(world.Root, block.Header.StateRoot);
        Assert.Empty(block.Transactions);
    }

    [Fact]
    public void The_same_document_always_gives_the_same_genesis_and_any_change_another()
    {
        var hash = GenesisState.Build(TestChain.DefaultGenesis()).Block.Hash;
        Assert.Equal(hash, GenesisState.Build(TestChain.DefaultGenesis()).Block.Hash);

        var changes = new Action<GenesisDocument>[]
        {
            g => g.ChainId += "-2",
            g => g.Timestamp++,
            g => g.Balances[0].Amount = "1000.000000001",
            g => g.Validators[0].Stake = "101",
            g => g.Validators[0].Endpoint = "",
            g => g.Parameters.MaxBlockTransactions--,
            g => g.Parameters.MinFee = "0.0002",
            g => g.Balances.RemoveAt(2),
        };
        var hashes = changes
            .Select(change =>
            {
                var genesis = TestChain.DefaultGenesis();
                change(genesis);
                return GenesisState.Build(genesis).Block.Hash;
            })
            .Append(hash)
            .ToArray();
        Assert.Equal(hashes.Length, hashes.Distinct().Count());
    }

    [Fact]
    public void The_order_of_balances_does_not_matter()
    {
        var genesis = TestChain.DefaultGenesis();
        var reversed = TestChain.DefaultGenesis();
        reversed.Balances.Reverse();
        Assert.Equal(GenesisState.Build(genesis).Block.Hash, GenesisState.Build(reversed).Block.Hash);
    }

    [Fact]
    public void A_genesis_document_round_trips_through_its_json_file()
    {
        using var test = new TestChain();
        var path = Path.Combine(test.Directory, "genesis.json");
        test.Genesis.Save(path);
        var loaded = GenesisDocument.Load(path);
        Assert.Equal(test.Chain.GenesisHash, GenesisState.Build(loaded).Block.Hash);
        Assert.Contains("\"chainId\": \"veritensor-test\"", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"chainId\": \"x\", \"surprise\": 1 }", "not valid genesis JSON")]
    [InlineData("{ \"chainId\": ", "not valid genesis JSON")]
    [InlineData("null", "empty")]
    [InlineData("{ \"timestamp\": \"soon\" }", "not valid genesis JSON")]
    public void Unreadable_json_is_a_genesis_error_naming_the_source(string json, string expected)
    {
        var e = Assert.Throws<GenesisException>(() => GenesisDocument.Parse(json, "devnet.json"));
        Assert.StartsWith("devnet.json:", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_comments_and_trailing_commas_are_allowed()
    {
        var json = TestChain
            .DefaultGenesis()
            .ToJson()
            .Replace("{", "{ // comment\n", StringComparison.Ordinal)
            .Replace("\n}", ",\n}", StringComparison.Ordinal);
        Assert.Equal(
            GenesisState.Build(TestChain.DefaultGenesis()).Block.Hash,
            GenesisState.Build(GenesisDocument.Parse(json)).Block.Hash
        );
    }

    [Fact]
    public void A_missing_file_is_a_genesis_error_naming_the_path()
    {
        var path = Path.Combine(
            Path.GetTempPath(),
            "veritensor-no-such-dir-" + Guid.NewGuid().ToString("N"),
            "genesis.json"
        );
        var e = Assert.Throws<GenesisException>(() => GenesisDocument.Load(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }
}
