using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Execution;
using Veritensor.Ledger.Genesis;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Tests;

/// <summary>The state machine on a <see cref="StateOverlay"/> over the default test genesis, as block 1 proposed by the validator.</summary>
[UnitTest]
public sealed class TransactionExecutorTests
{
    private static readonly Address Proposer = Keys.Validator.Address;
    private readonly WorldState _world = new();
    private readonly StateOverlay _state;
    private readonly BlockContext _block;

    public TransactionExecutorTests()
    {
        var (_, changes, parameters) = GenesisState.Build(TestChain.DefaultGenesis());
        _world.Apply(changes);
        _state = new StateOverlay(_world);
        _block = new BlockContext(
            TestChain.ChainId,
            TestChain.DefaultGenesisHash,
            1,
            TestChain.GenesisTime + 1000,
            Proposer,
            parameters
        );
    }

    private static Amount T(ulong tokens) => Amount.FromTokens(tokens);

    private static Amount Funded => T(TestChain.FundedTokens);

    private void Apply(SignedTransaction signed) => TransactionExecutor.Execute(_state, signed, _block);

    /// <summary>Executes a transaction that must fail with <paramref name="code"/> and checks that it changed nothing.</summary>
    private LedgerException Rejected(SignedTransaction signed, ErrorCode code, BlockContext? block = null)
    {
        var before = StateSnapshot.Of(_state);
        var e = Assert.Throws<LedgerException>(() => TransactionExecutor.Execute(_state, signed, block ?? _block));
        Assert.Equal(code, e.Code);
        Assert.Contains(signed.Id.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Equal(before, StateSnapshot.Of(_state));
        return e;
    }

    private Amount TotalHeld()
    {
        // Every account and stake the tests touch, read through the overlay.
        var accounts = new[]
        {
            Keys.Alice,
            Keys.Bob,
            Keys.Charlie,
            Keys.Dave,
            Keys.Validator,
            Keys.ValidatorCold,
            Keys.NodeA,
            Keys.NodeB,
        };
        var hotkeys = new[] { Keys.Validator, Keys.NodeA, Keys.NodeB };
        var total = Amount.Zero;
        foreach (var account in accounts)
        {
            total += _state.GetAccount(account.Address).Balance;
            foreach (var hotkey in hotkeys)
                total += _state.GetStake(account.Address, hotkey.Address);
        }
        return total;
    }

    [Fact]
    public void A_transfer_moves_exactly_the_amount_pays_the_fee_to_the_proposer_and_increments_the_nonce()
    {
        var fee = new Amount(1_234_567);
        Apply(Tx.Transfer(Keys.Alice, Keys.Bob.Address, new Amount(10_000_000_007), 0, fee));

        Assert.Equal(
            new AccountState(Funded - new Amount(10_000_000_007) - fee, 1),
            _state.GetAccount(Keys.Alice.Address)
        );
        Assert.Equal(new AccountState(Funded + new Amount(10_000_000_007), 0), _state.GetAccount(Keys.Bob.Address));
        Assert.Equal(new AccountState(fee, 0), _state.GetAccount(Proposer));
        Assert.Equal(T(TestChain.IssuanceTokens), TotalHeld());
        Assert.Equal(T(TestChain.IssuanceTokens), _state.GetTotalIssuance());
    }

    [Fact]
    public void A_transfer_to_a_new_account_creates_it()
    {
        Apply(Tx.Transfer(Keys.Alice, Keys.Dave.Address, T(5), 0));
        Assert.Equal(new AccountState(T(5), 0), _state.GetAccount(Keys.Dave.Address));
    }

    [Fact]
    public void A_transfer_to_oneself_costs_only_the_fee()
    {
        Apply(Tx.Transfer(Keys.Alice, Keys.Alice.Address, T(300), 0));
        Assert.Equal(new AccountState(Funded - Tx.MinFee, 1), _state.GetAccount(Keys.Alice.Address));
    }

    [Fact]
    public void Consecutive_nonces_apply_in_order()
    {
        for (ulong nonce = 0; nonce < 5; nonce++)
            Apply(Tx.Transfer(Keys.Alice, Keys.Bob.Address, T(1), nonce));
        Assert.Equal(
            new AccountState(Funded - T(5) - new Amount(5 * Tx.MinFee.BaseUnits), 5),
            _state.GetAccount(Keys.Alice.Address)
        );
    }

    [Fact]
    public void Adding_and_removing_stake_moves_tokens_between_balance_and_stake_and_updates_the_hotkey_total()
    {
        var hotkey = Keys.Validator.Address;
        Apply(Tx.AddStake(Keys.Alice, hotkey, T(40), 0));
        Assert.Equal(new AccountState(Funded - T(40) - Tx.MinFee, 1), _state.GetAccount(Keys.Alice.Address));
        Assert.Equal(T(40), _state.GetStake(Keys.Alice.Address, hotkey));
        Assert.Equal(T(TestChain.ValidatorStakeTokens + 40), _state.GetHotkeyStake(hotkey));

        Apply(Tx.RemoveStake(Keys.Alice, hotkey, T(15), 1));
        Assert.Equal(
            new AccountState(Funded - T(25) - new Amount(2 * Tx.MinFee.BaseUnits), 2),
            _state.GetAccount(Keys.Alice.Address)
        );
        Assert.Equal(T(25), _state.GetStake(Keys.Alice.Address, hotkey));
        Assert.Equal(T(TestChain.ValidatorStakeTokens + 25), _state.GetHotkeyStake(hotkey));
        Assert.Equal(T(TestChain.ValidatorStakeTokens), _state.GetStake(Keys.ValidatorCold.Address, hotkey));
        Assert.Equal(T(TestChain.IssuanceTokens), TotalHeld());
    }

    [Fact]
    public void Removing_all_stake_deletes_the_stake_entry()
    {
        Apply(Tx.AddStake(Keys.Alice, Keys.Validator.Address, T(40), 0));
        Apply(Tx.RemoveStake(Keys.Alice, Keys.Validator.Address, T(40), 1));
        Assert.Null(_state.Get(StateKeys.Stake(Keys.Alice.Address, Keys.Validator.Address)));
        Assert.Equal(T(TestChain.ValidatorStakeTokens), _state.GetHotkeyStake(Keys.Validator.Address));
    }

    [Fact]
    public void Staking_on_an_unregistered_hotkey_is_rejected() =>
        Rejected(Tx.AddStake(Keys.Alice, Keys.NodeA.Address, T(1), 0), ErrorCode.HotkeyNotRegistered);

    [Fact]
    public void Unstaking_from_an_unregistered_hotkey_is_rejected() =>
        Rejected(Tx.RemoveStake(Keys.Alice, Keys.NodeA.Address, T(1), 0), ErrorCode.HotkeyNotRegistered);

    [Fact]
    public void Removing_more_than_is_staked_is_rejected()
    {
        Apply(Tx.AddStake(Keys.Alice, Keys.Validator.Address, T(10), 0));
        Rejected(
            Tx.RemoveStake(Keys.Alice, Keys.Validator.Address, T(10) + new Amount(1), 1),
            ErrorCode.InsufficientStake
        );
        // Another coldkey's stake on the same hotkey is not the sender's to remove.
        Rejected(Tx.RemoveStake(Keys.Bob, Keys.Validator.Address, T(1), 0), ErrorCode.InsufficientStake);
    }

    [Fact]
    public void Spending_more_than_the_balance_including_the_fee_is_rejected()
    {
        Rejected(Tx.Transfer(Keys.Alice, Keys.Bob.Address, Funded, 0), ErrorCode.InsufficientBalance);
        Rejected(Tx.AddStake(Keys.Alice, Keys.Validator.Address, Funded, 0), ErrorCode.InsufficientBalance);
        Rejected(Tx.Transfer(Keys.Dave, Keys.Bob.Address, new Amount(1), 0), ErrorCode.InsufficientBalance);
        Rejected(
            Tx.Transfer(Keys.Alice, Keys.Bob.Address, new Amount(ulong.MaxValue), 0),
            ErrorCode.InsufficientBalance
        );
        Rejected(
            Tx.Transfer(Keys.Alice, Keys.Bob.Address, new Amount(1), 0, fee: new Amount(ulong.MaxValue)),
            ErrorCode.InsufficientBalance
        );
    }

    [Fact]
    public void Spending_the_whole_balance_exactly_is_allowed()
    {
        Apply(Tx.Transfer(Keys.Alice, Keys.Bob.Address, Funded - Tx.MinFee, 0));
        Assert.Equal(new AccountState(Amount.Zero, 1), _state.GetAccount(Keys.Alice.Address));
    }

    [Fact]
    public void An_unstake_needs_only_the_fee_in_the_balance()
    {
        Apply(Tx.AddStake(Keys.Alice, Keys.Validator.Address, Funded - Tx.MinFee - Tx.MinFee, 0));
        Apply(Tx.RemoveStake(Keys.Alice, Keys.Validator.Address, T(1), 1));
        Assert.Equal(new AccountState(T(1), 2), _state.GetAccount(Keys.Alice.Address));
    }

    [Fact]
    public void Zero_amounts_are_rejected()
    {
        Rejected(Tx.Transfer(Keys.Alice, Keys.Bob.Address, Amount.Zero, 0), ErrorCode.ZeroAmount);
        Rejected(Tx.AddStake(Keys.Alice, Keys.Validator.Address, Amount.Zero, 0), ErrorCode.ZeroAmount);
        Rejected(Tx.RemoveStake(Keys.Alice, Keys.Validator.Address, Amount.Zero, 0), ErrorCode.ZeroAmount);
    }

    [Fact]
    public void A_transfer_to_the_zero_address_is_rejected() =>
        Rejected(Tx.Transfer(Keys.Alice, Address.Zero, T(1), 0), ErrorCode.InvalidField);

    [Fact]
    public void A_fee_below_the_minimum_is_rejected_and_the_minimum_itself_is_enough()
    {
        Rejected(
            Tx.Transfer(Keys.Alice, Keys.Bob.Address, T(1), 0, fee: Tx.MinFee - new Amount(1)),
            ErrorCode.FeeTooLow
        );
        Rejected(Tx.Transfer(Keys.Alice, Keys.Bob.Address, T(1), 0, fee: Amount.Zero), ErrorCode.FeeTooLow);
        Apply(Tx.Transfer(Keys.Alice, Keys.Bob.Address, T(1), 0, fee: Tx.MinFee));
        Assert.Equal(1UL, _state.GetAccount(Keys.Alice.Address).Nonce);
    }

    [Fact]
    public void Applying_the_same_transaction_twice_fails_the_second_time_with_NonceTooLow()
    {
        var transfer = Tx.Transfer(Keys.Alice, Keys.Bob.Address, T(1), 0);
        Apply(transfer);
        var e = Rejected(transfer, ErrorCode.NonceTooLow);
        Assert.Contains("next nonce is 1", e.Message, StringComparison.Ordinal);
        Assert.Equal(Funded + T(1), _state.GetAccount(Keys.Bob.Address).Balance);
    }

    [Fact]
    public void A_nonce_ahead_of_the_account_is_rejected_with_NonceTooHigh()
    {
        Rejected(Tx.Transfer(Keys.Alice, Keys.Bob.Address, T(1), 1), ErrorCode.NonceTooHigh);
        Rejected(Tx.Transfer(Keys.Alice, Keys.Bob.Address, T(1), ulong.MaxValue), ErrorCode.NonceTooHigh);
    }

    [Fact]
    public void A_transaction_for_another_chain_is_rejected_with_WrongChain() =>
        Rejected(Tx.Transfer(Keys.Alice, Keys.Bob.Address, T(1), 0, chainId: "veritensor-other"), ErrorCode.WrongChain);

    [Fact]
    public void A_transaction_over_the_size_limit_is_rejected()
    {
        var small = _block with { Parameters = _block.Parameters with { MaxTransactionBytes = 256 } };
        var large = Tx.Register(Keys.Charlie, Keys.NodeA, 0, endpoint: "https://" + new string('a', 120) + ".example");
        Assert.True(large.Size > 256);
        Rejected(large, ErrorCode.TransactionTooLarge, small);
    }

    [Fact]
    public void A_registration_cannot_grant_the_validator_role()
    {
        var e = Rejected(
            Tx.Register(Keys.Charlie, Keys.NodeA, 0, NodeRoles.Validator | NodeRoles.Inference),
            ErrorCode.InvalidField
        );
        Assert.Contains("genesis", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_genesis_validator_cannot_drop_its_validator_role()
    {
        Apply(Tx.Transfer(Keys.Alice, Keys.ValidatorCold.Address, T(10), 0));
        var e = Rejected(
            Tx.Register(Keys.ValidatorCold, Keys.Validator, 0, NodeRoles.Inference),
            ErrorCode.InvalidField
        );
        Assert.Contains("must keep the validator role", e.Message, StringComparison.Ordinal);
        Apply(
            Tx.Register(
                Keys.ValidatorCold,
                Keys.Validator,
                0,
                NodeRoles.Validator | NodeRoles.Gateway,
                "http://127.0.0.1:7101"
            )
        );
    }

    [Fact]
    public void Registering_a_node_records_its_owner_roles_endpoint_and_height()
    {
        Apply(
            Tx.Register(
                Keys.Charlie,
                Keys.NodeA,
                0,
                NodeRoles.Inference | NodeRoles.Verifier,
                "https://node-a.example:8443"
            )
        );
        Assert.Equal(
            new NodeRecord(
                Keys.Charlie.Address,
                NodeRoles.Inference | NodeRoles.Verifier,
                "https://node-a.example:8443",
                1
            ),
            _state.GetNode(Keys.NodeA.Address)
        );
        Assert.Equal(new AccountState(Funded - Tx.MinFee, 1), _state.GetAccount(Keys.Charlie.Address));
        // The new node can now take stake.
        Apply(Tx.AddStake(Keys.Alice, Keys.NodeA.Address, T(3), 0));
        Assert.Equal(T(3), _state.GetHotkeyStake(Keys.NodeA.Address));
    }

    [Fact]
    public void The_owner_may_update_a_registration_and_keeps_its_original_height()
    {
        Apply(Tx.Register(Keys.Charlie, Keys.NodeA, 0, NodeRoles.Inference, "http://old.example"));
        var later = _block with { Height = 9 };
        TransactionExecutor.Execute(_state, Tx.Register(Keys.Charlie, Keys.NodeA, 1, NodeRoles.Gateway, ""), later);
        Assert.Equal(
            new NodeRecord(Keys.Charlie.Address, NodeRoles.Gateway, "", 1),
            _state.GetNode(Keys.NodeA.Address)
        );
    }

    [Fact]
    public void A_hotkey_registered_to_one_coldkey_cannot_be_claimed_by_another()
    {
        Apply(Tx.Register(Keys.Charlie, Keys.NodeA, 0));
        var e = Rejected(Tx.Register(Keys.Bob, Keys.NodeA, 0), ErrorCode.HotkeyOwnedByAnother);
        Assert.Contains(Keys.Charlie.Address.ToString(), e.Message, StringComparison.Ordinal);
        Rejected(Tx.Register(Keys.Bob, Keys.Validator, 0, NodeRoles.Validator), ErrorCode.HotkeyOwnedByAnother);
        Assert.Equal(Keys.Charlie.Address, _state.GetNode(Keys.NodeA.Address)!.Owner);
    }

    [Theory]
    [InlineData((byte)0)]
    [InlineData((byte)0x10)]
    [InlineData((byte)0x81)]
    [InlineData((byte)0xFF)]
    public void Roles_outside_the_known_flags_or_none_are_an_invalid_field(byte roles)
    {
        var e = Rejected(Tx.Register(Keys.Charlie, Keys.NodeA, 0, (NodeRoles)roles), ErrorCode.InvalidField);
        Assert.Contains("roles", e.Message, StringComparison.Ordinal);
        Assert.Null(_state.GetNode(Keys.NodeA.Address));
    }

    [Theory]
    [InlineData("ftp://files.example")]
    [InlineData("node.example:8443")]
    [InlineData("/relative/path")]
    [InlineData("not a url")]
    [InlineData("file:///etc/passwd")]
    public void An_endpoint_that_is_not_an_absolute_http_url_is_an_invalid_field(string endpoint)
    {
        var e = Rejected(Tx.Register(Keys.Charlie, Keys.NodeA, 0, endpoint: endpoint), ErrorCode.InvalidField);
        Assert.Contains("endpoint", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("http://10.0.0.1:7000")]
    [InlineData("https://node.example/api")]
    public void An_empty_or_http_endpoint_is_accepted(string endpoint)
    {
        Apply(Tx.Register(Keys.Charlie, Keys.NodeA, 0, endpoint: endpoint));
        Assert.Equal(endpoint, _state.GetNode(Keys.NodeA.Address)!.Endpoint);
    }

    [Fact]
    public void A_rejected_transaction_after_successful_ones_leaves_their_changes_exactly_in_place()
    {
        Apply(Tx.Transfer(Keys.Alice, Keys.Bob.Address, T(7), 0));
        Apply(Tx.AddStake(Keys.Bob, Keys.Validator.Address, T(3), 0));
        Apply(Tx.Register(Keys.Charlie, Keys.NodeA, 0));
        Assert.NotEmpty(_state.Changes);
        Rejected(Tx.Transfer(Keys.Alice, Keys.Bob.Address, T(7), 0), ErrorCode.NonceTooLow);
        Rejected(Tx.RemoveStake(Keys.Bob, Keys.Validator.Address, T(4), 1), ErrorCode.InsufficientStake);
        Rejected(Tx.Register(Keys.Alice, Keys.NodeA, 1), ErrorCode.HotkeyOwnedByAnother);
        Rejected(Tx.Transfer(Keys.Alice, Keys.Bob.Address, Funded, 1), ErrorCode.InsufficientBalance);
        Assert.Equal(Funded - T(7) - Tx.MinFee, _state.GetAccount(Keys.Alice.Address).Balance);
    }

    [Fact]
    public void The_executor_only_writes_to_the_overlay_not_to_the_committed_state()
    {
        var rootBefore = _world.Root;
        Apply(Tx.Transfer(Keys.Alice, Keys.Bob.Address, T(7), 0));
        Assert.Equal(rootBefore, _world.Root);
        Assert.Equal(
            new AccountState(Funded, 0),
            AccountState.Decode(_world.Get(StateKeys.Account(Keys.Alice.Address))!)
        );
        _world.Apply(_state.Changes);
        Assert.NotEqual(rootBefore, _world.Root);
        Assert.Equal(
            new AccountState(Funded - T(7) - Tx.MinFee, 1),
            AccountState.Decode(_world.Get(StateKeys.Account(Keys.Alice.Address))!)
        );
    }

    [Fact]
    public void Reverting_to_a_checkpoint_restores_every_key_written_after_it()
    {
        var key1 = new byte[] { 9, 1 };
        var key2 = new byte[] { 9, 2 };
        _state.Set(key1, [1]);
        var before = StateSnapshot.Of(_state);
        var checkpoint = _state.Checkpoint();
        _state.Set(key1, [2]);
        _state.Delete(key1);
        _state.Set(key2, [3]);
        _state.Delete(StateKeys.Account(Keys.Alice.Address));
        Assert.Null(_state.Get(StateKeys.Account(Keys.Alice.Address)));
        _state.RevertTo(checkpoint);
        Assert.Equal(before, StateSnapshot.Of(_state));
        Assert.Equal([1], _state.Get(key1));
        Assert.Null(_state.Get(key2));
        Assert.Equal(new AccountState(Funded, 0), _state.GetAccount(Keys.Alice.Address));
    }
}
