using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Blocks;
using Veritensor.Ledger.Inference;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Genesis;

/// <summary>Turns a genesis document into the initial state and the unsigned genesis block (height 0).</summary>
internal static class GenesisState
{
    public static (Block Block, IReadOnlyDictionary<byte[], byte[]?> Changes, ChainParameters Parameters) Build(
        GenesisDocument genesis
    )
    {
        ArgumentNullException.ThrowIfNull(genesis);
        var parameters = ParseParameters(genesis);
        if (
            string.IsNullOrWhiteSpace(genesis.ChainId)
            || System.Text.Encoding.UTF8.GetByteCount(genesis.ChainId) > Transaction.MaxChainIdBytes
        )
            throw new GenesisException(
                $"chainId must be 1 to {Transaction.MaxChainIdBytes} bytes, got '{genesis.ChainId}'."
            );
        if (genesis.Validators.Count == 0)
            throw new GenesisException("validators: at least one validator is needed to produce blocks.");

        var world = new WorldState();
        var state = new StateOverlay(world);
        state.SetParameters(parameters);
        if (genesis.Inference is { } inference)
            state.SetInferenceParameters(ParseInference(inference));
        var issuance = Amount.Zero;
        var seen = new HashSet<Address>();
        for (var i = 0; i < genesis.Balances.Count; i++)
        {
            var entry = genesis.Balances[i];
            var address = ParseAddress(entry.Address, $"balances[{i}].address");
            if (!seen.Add(address))
                throw new GenesisException($"balances[{i}].address: {address} is listed twice.");
            var amount = ParseAmount(entry.Amount, $"balances[{i}].amount");
            state.SetAccount(address, new AccountState(amount, 0));
            issuance = AddIssuance(issuance, amount);
        }
        for (var i = 0; i < genesis.Validators.Count; i++)
        {
            var validator = genesis.Validators[i];
            var hotkey = ParseAddress(validator.Hotkey, $"validators[{i}].hotkey");
            var coldkey = ParseAddress(validator.Coldkey, $"validators[{i}].coldkey");
            if (state.GetNode(hotkey) is not null)
                throw new GenesisException($"validators[{i}].hotkey: {hotkey} is listed twice.");
            if (!Execution.TransactionExecutor.IsValidEndpoint(validator.Endpoint))
                throw new GenesisException(
                    $"validators[{i}].endpoint: '{validator.Endpoint}' must be empty or an absolute http(s) URL."
                );
            var stake = ParseAmount(validator.Stake, $"validators[{i}].stake");
            state.SetNode(hotkey, new NodeRecord(coldkey, NodeRoles.Validator, validator.Endpoint, 0));
            state.SetStake(coldkey, hotkey, stake);
            state.SetHotkeyStake(hotkey, stake);
            issuance = AddIssuance(issuance, stake);
        }
        state.SetTotalIssuance(issuance);
        state.SetSubnetParameters(SubnetGenesisParser.Parse(genesis, issuance));
        world.Apply(state.Changes);
        var header = new BlockHeader(
            genesis.ChainId,
            0,
            Hash256.Zero,
            genesis.Timestamp,
            Address.Zero,
            Hash256.Zero,
            world.Root,
            0
        );
        return (new Block(header, Signature.Empty, []), state.Changes, parameters);
    }

    private static ChainParameters ParseParameters(GenesisDocument genesis)
    {
        var parameters = new ChainParameters
        {
            MinFee = ParseAmount(genesis.Parameters.MinFee, "parameters.minFee"),
            MaxTransactionBytes = genesis.Parameters.MaxTransactionBytes,
            MaxBlockTransactions = genesis.Parameters.MaxBlockTransactions,
            ByteFee = ParseAmount(genesis.Parameters.ByteFee, "parameters.byteFee"),
            StateByteFee = ParseAmount(genesis.Parameters.StateByteFee, "parameters.stateByteFee"),
        };
        try
        {
            parameters.Validate();
        }
        catch (ArgumentException e)
        {
            throw new GenesisException("parameters: " + e.Message);
        }
        return parameters;
    }

    private static InferenceParameters ParseInference(GenesisInference inference)
    {
        var parameters = new InferenceParameters
        {
            OwnerShareBps = inference.OwnerShareBps,
            ExecutorShareBps = inference.ExecutorShareBps,
            TreasuryShareBps = inference.TreasuryShareBps,
            VerificationFeeBps = inference.VerificationFeeBps,
            FullVerifiers = inference.FullVerifiers,
            SamplingRatePpm = inference.SamplingRatePpm,
            DisputeQuorum = inference.DisputeQuorum,
            SlashBps = inference.SlashBps,
            MinNodeStake = ParseAmount(inference.MinNodeStake, "inference.minNodeStake"),
            AnchorWindow = inference.AnchorWindow,
            ReportBond = ParseAmount(inference.ReportBond, "inference.reportBond"),
            DisputeWindow = inference.DisputeWindow,
        };
        return parameters.Problem() is { } problem
            ? throw new GenesisException("inference: " + problem + ".")
            : parameters;
    }

    private static Address ParseAddress(string text, string field) =>
        Address.TryParse(text, out var address, out var error)
            ? address
            : throw new GenesisException($"{field}: {error}");

    private static Amount ParseAmount(string text, string field) =>
        Amount.TryParseTokens(text, out var amount, out var error)
            ? amount
            : throw new GenesisException($"{field}: {error}");

    private static Amount AddIssuance(Amount total, Amount amount)
    {
        try
        {
            return total + amount;
        }
        catch (OverflowException)
        {
            throw new GenesisException("The total of balances and stakes is larger than an amount can hold.");
        }
    }
}
