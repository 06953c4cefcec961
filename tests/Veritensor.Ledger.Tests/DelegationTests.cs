using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Execution;
using Veritensor.Ledger.Genesis;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Subnets;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Tests;

/// <summary>
/// Delegation: SetDelegateTake, the nominator index, stake on neuron hotkeys, and the split of a uid's emission between
/// the hotkey's owner and its nominators (<see cref="DelegationPayout"/>), on a <see cref="StateOverlay"/> over the
/// default test genesis (whose validator hotkey is a node of ValidatorCold holding 100 tokens of its own stake).
/// </summary>
[UnitTest]
public sealed class DelegationTests
{
    private readonly WorldState _world = new();
    private readonly StateOverlay _state;
    private readonly BlockContext _block;

    public DelegationTests()
    {
        var (_, changes, parameters) = GenesisState.Build(TestChain.DefaultGenesis());
        _world.Apply(changes);
        _state = new StateOverlay(_world);
        _block = new BlockContext(
            TestChain.ChainId,
            TestChain.DefaultGenesisHash,
            1,
            TestChain.GenesisTime + 1000,
            Keys.Validator.Address,
            parameters
        );
    }

    private void Apply(SignedTransaction signed) => TransactionExecutor.Execute(_state, signed, _block);

    private void Rejected(SignedTransaction signed, ErrorCode code)
    {
        var before = StateSnapshot.Of(_state);
        var e = Assert.Throws<LedgerException>(() => TransactionExecutor.Execute(_state, signed, _block));
        Assert.Equal(code, e.Code);
        Assert.Equal(before, StateSnapshot.Of(_state));
    }

    private static SignedTransaction SetTake(KeyPair coldkey, Address hotkey, ushort take, ulong nonce) =>
        Tx.Sign(coldkey, nonce, new SetDelegateTakePayload(hotkey, take));

    [Fact]
    public void The_take_defaults_to_11796_and_the_owner_may_set_it_from_0_to_11796()
    {
        Assert.Equal((ushort)11_796, DelegateTake.Max);
        Assert.Equal(DelegateTake.Max, _state.GetDelegateTake(Keys.Validator.Address));
        Apply(Tx.Transfer(Keys.Alice, Keys.ValidatorCold.Address, Tx.Tokens(1), 0));

        Apply(SetTake(Keys.ValidatorCold, Keys.Validator.Address, 0, 0));
        Assert.Equal((ushort)0, _state.GetDelegateTake(Keys.Validator.Address));
        Apply(SetTake(Keys.ValidatorCold, Keys.Validator.Address, 11_796, 1));
        Assert.Equal((ushort)11_796, _state.GetDelegateTake(Keys.Validator.Address));
        Apply(SetTake(Keys.ValidatorCold, Keys.Validator.Address, 5_000, 2));
        Assert.Equal((ushort)5_000, _state.GetDelegateTake(Keys.Validator.Address));
    }

    [Fact]
    public void A_take_above_the_maximum_another_coldkey_or_an_unregistered_hotkey_is_rejected_and_changes_nothing()
    {
        Apply(Tx.Transfer(Keys.Alice, Keys.ValidatorCold.Address, Tx.Tokens(1), 0));
        Rejected(SetTake(Keys.ValidatorCold, Keys.Validator.Address, 11_797, 0), ErrorCode.DelegateTakeTooHigh);
        Rejected(
            SetTake(Keys.ValidatorCold, Keys.Validator.Address, ushort.MaxValue, 0),
            ErrorCode.DelegateTakeTooHigh
        );
        Rejected(SetTake(Keys.Bob, Keys.Validator.Address, 100, 0), ErrorCode.HotkeyOwnedByAnother);
        Rejected(SetTake(Keys.Bob, Keys.NodeA.Address, 100, 0), ErrorCode.HotkeyNotRegistered);
        Assert.Equal(DelegateTake.Default, _state.GetDelegateTake(Keys.Validator.Address));
    }

    [Fact]
    public void The_owner_of_a_neuron_hotkey_sets_its_take_and_anyone_may_stake_on_it_and_withdraw()
    {
        Apply(Tx.CreateSubnet(Keys.Alice, 0));
        Apply(Tx.RegisterNeuron(Keys.Bob, Keys.NodeA, 1, 0));
        Assert.Null(_state.GetNode(Keys.NodeA.Address));

        Apply(SetTake(Keys.Bob, Keys.NodeA.Address, 1_000, 1));
        Assert.Equal((ushort)1_000, _state.GetDelegateTake(Keys.NodeA.Address));
        Rejected(SetTake(Keys.Charlie, Keys.NodeA.Address, 1_000, 0), ErrorCode.HotkeyOwnedByAnother);

        Apply(Tx.AddStake(Keys.Charlie, Keys.NodeA.Address, Tx.Tokens(7), 0));
        Apply(Tx.AddStake(Keys.Bob, Keys.NodeA.Address, Tx.Tokens(3), 2));
        Assert.Equal(Tx.Tokens(10), _state.GetHotkeyStake(Keys.NodeA.Address));
        Assert.Equal(
            new[] { Keys.Bob.Address, Keys.Charlie.Address }.Order(),
            _state.GetNominators(Keys.NodeA.Address)
        );

        Apply(Tx.RemoveStake(Keys.Bob, Keys.NodeA.Address, Tx.Tokens(3), 3));
        Assert.Equal(Amount.Zero, _state.GetStake(Keys.Bob.Address, Keys.NodeA.Address));
        Assert.Equal([Keys.Charlie.Address], _state.GetNominators(Keys.NodeA.Address));
        Rejected(Tx.RemoveStake(Keys.Bob, Keys.NodeB.Address, Tx.Tokens(1), 4), ErrorCode.HotkeyNotRegistered);
    }

    [Fact]
    public void The_validator_part_pays_the_take_then_nominators_pro_rata_with_the_dust_to_the_owner()
    {
        // Owner 300 base units of stake, nominator 100; take 6553 of 65535; validator part 1000, miner part 50.
        var (owner, nominator, hotkey) = (Keys.Bob.Address, Keys.Charlie.Address, Keys.NodeA.Address);
        _state.AddStake(owner, hotkey, new Amount(300));
        _state.AddStake(nominator, hotkey, new Amount(100));
        _state.SetDelegateTake(hotkey, 6_553);

        DelegationPayout.Pay(_state, owner, hotkey, new Amount(50), new Amount(1_000), previousEpoch: 0);

        // take = floor(1000 * 6553 / 65535) = 99; shared 901; owner floor(901*300/400) = 675, nominator floor(901*100/400) = 225;
        // dust 901 - 900 = 1. Owner: 50 + 99 + 675 + 1 = 825; nominator 225; together exactly 1050.
        Assert.Equal(new Amount(300 + 825), _state.GetStake(owner, hotkey));
        Assert.Equal(new Amount(100 + 225), _state.GetStake(nominator, hotkey));
        Assert.Equal(new Amount(400 + 1_050), _state.GetHotkeyStake(hotkey));
    }

    [Fact]
    public void With_no_stake_on_the_hotkey_or_a_zero_take_the_payout_is_still_exact()
    {
        var (owner, nominator, hotkey) = (Keys.Bob.Address, Keys.Charlie.Address, Keys.NodeA.Address);
        DelegationPayout.Pay(_state, owner, hotkey, new Amount(7), new Amount(11), previousEpoch: 0);
        Assert.Equal(new Amount(18), _state.GetStake(owner, hotkey));

        // Now owner 18, nominator 18; take 0: the 1000 is shared 500/500.
        _state.AddStake(nominator, hotkey, new Amount(18));
        _state.SetDelegateTake(hotkey, 0);
        DelegationPayout.Pay(_state, owner, hotkey, Amount.Zero, new Amount(1_000), previousEpoch: 0);
        Assert.Equal(new Amount(518), _state.GetStake(owner, hotkey));
        Assert.Equal(new Amount(518), _state.GetStake(nominator, hotkey));
        Assert.Equal(new Amount(1_036), _state.GetHotkeyStake(hotkey));
    }

    [Fact]
    public void Stake_added_since_the_previous_epoch_earns_no_nominator_share_and_the_honest_nominator_keeps_it()
    {
        // The honest nominator (charlie) has held 100 tokens on the validator since before the previous epoch, like the
        // owner; bob adds 900 in block 1, just before this epoch (just-in-time stake), to take most of the dividends.
        var hotkey = Keys.Validator.Address;
        _state.AddStake(Keys.Charlie.Address, hotkey, Tx.Tokens(100));
        _state.SetDelegateTake(hotkey, 0);
        Apply(Tx.AddStake(Keys.Bob, hotkey, Tx.Tokens(900), 0));
        Assert.Equal(new FreshStake(Tx.Tokens(900), 1), _state.GetFreshStake(Keys.Bob.Address, hotkey));
        var owner = Keys.ValidatorCold.Address;

        // The previous epoch was block 0: bob's stake came after it and shares nothing; the owner's 100 and charlie's
        // 100 share the 1,000 base units equally.
        DelegationPayout.Pay(_state, owner, hotkey, Amount.Zero, new Amount(1_000), 0);
        Assert.Equal(Tx.Tokens(900), _state.GetStake(Keys.Bob.Address, hotkey));
        Assert.Equal(Tx.Tokens(100) + new Amount(500), _state.GetStake(Keys.Charlie.Address, hotkey));
        Assert.Equal(Tx.Tokens(100) + new Amount(500), _state.GetStake(owner, hotkey));

        // Held through the next tempo (the previous epoch is now block 1), bob's 900 tokens earn their share:
        // 2,000 base units against 100 + 100 + 900 tokens (plus 1,000 base units) gives bob floor(2000 * 900 / 1100.000001).
        DelegationPayout.Pay(_state, owner, hotkey, Amount.Zero, new Amount(2_000), 1);
        var held = Tx.Tokens(1_100).BaseUnits + 1_000;
        var bobShare = (ulong)((UInt128)2_000 * Tx.Tokens(900).BaseUnits / held);
        Assert.Equal(Tx.Tokens(900) + new Amount(bobShare), _state.GetStake(Keys.Bob.Address, hotkey));
        Assert.Equal(1_636UL, bobShare);
    }

    [Fact]
    public void A_removal_takes_fresh_stake_first_and_unbonding_stake_earns_nothing()
    {
        var hotkey = Keys.Validator.Address;
        _state.SetDelegateTake(hotkey, 0);
        Apply(Tx.AddStake(Keys.Bob, hotkey, Tx.Tokens(30), 0));
        Apply(Tx.RemoveStake(Keys.Bob, hotkey, Tx.Tokens(20), 1));
        Assert.Equal(new FreshStake(Tx.Tokens(10), 1), _state.GetFreshStake(Keys.Bob.Address, hotkey));
        Assert.Equal(Amount.Zero, StakeMaturity.HeldSince(_state, Keys.Bob.Address, hotkey, 0));
        Assert.Equal(Tx.Tokens(10), StakeMaturity.HeldSince(_state, Keys.Bob.Address, hotkey, 1));
        Apply(Tx.RemoveStake(Keys.Bob, hotkey, Tx.Tokens(10), 2));
        Assert.Null(_state.GetFreshStake(Keys.Bob.Address, hotkey));

        // Stake unbonding from a node is still slashable, but it no longer earns a share.
        _state.AddStake(Keys.Charlie.Address, hotkey, Tx.Tokens(50));
        _state.BeginWithdrawal(
            Keys.Charlie.Address,
            hotkey,
            Tx.Tokens(20),
            1,
            new Ledger.Inference.InferenceParameters()
        );
        Assert.Equal(Tx.Tokens(30), StakeMaturity.HeldSince(_state, Keys.Charlie.Address, hotkey, 0));
    }
}
