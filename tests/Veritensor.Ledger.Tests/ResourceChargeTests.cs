using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Execution;
using Veritensor.Ledger.Genesis;
using Veritensor.Ledger.State;
using Veritensor.Ledger.Tests.Support;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Tests;

/// <summary>
/// State growth is priced (security.md): besides its fee a transaction burns <see cref="ChainParameters.ByteFee"/> per
/// byte of itself and <see cref="ChainParameters.StateByteFee"/> per byte of state it adds, measured on its writes.
/// </summary>
[UnitTest]
public sealed class ResourceChargeTests
{
    private static readonly Amount ByteFee = new(10);
    private static readonly Amount StateByteFee = new(1_000);
    private readonly WorldState _world = new();
    private readonly StateOverlay _state;
    private readonly BlockContext _block;

    public ResourceChargeTests()
    {
        var genesis = TestChain.DefaultGenesis();
        genesis.Parameters.ByteFee = "0.00000001";
        genesis.Parameters.StateByteFee = "0.000001";
        var (block, changes, parameters) = GenesisState.Build(genesis);
        Assert.Equal((ByteFee, StateByteFee), (parameters.ByteFee, parameters.StateByteFee));
        _world.Apply(changes);
        _state = new StateOverlay(_world);
        _block = new BlockContext(
            genesis.ChainId,
            block.Hash,
            1,
            TestChain.GenesisTime + 1000,
            Keys.Validator.Address,
            parameters
        );
        Tx.CurrentGenesis = block.Hash;
        // The proposer's account exists already, so the fee it receives adds no state to the transactions below.
        _state.SetAccount(Keys.Validator.Address, new AccountState(new Amount(1), 0));
    }

    private static ulong Charge(SignedTransaction signed, long stateBytes) =>
        ByteFee.BaseUnits * (ulong)signed.Size + StateByteFee.BaseUnits * (ulong)stateBytes;

    [Fact]
    public void A_transfer_to_a_new_account_pays_for_its_bytes_and_the_account_it_creates()
    {
        using var stranger = KeyPair.FromDevelopmentName("resource-stranger");
        var transfer = Tx.Transfer(Keys.Alice, stranger.Address, Tx.Tokens(5), 0);
        var (issuance, burned) = (_state.GetTotalIssuance(), _state.GetTotalBurned());
        TransactionExecutor.Execute(_state, transfer, _block);

        // The new entry: the account key and its encoded state.
        var created = StateKeys.Account(stranger.Address).Length + new AccountState(Tx.Tokens(5), 0).Encode().Length;
        var charge = new Amount(Charge(transfer, created));
        Assert.Equal(
            Tx.Tokens(TestChain.FundedTokens) - Tx.Tokens(5) - Tx.MinFee - charge,
            _state.GetAccount(Keys.Alice.Address).Balance
        );
        Assert.Equal(issuance - charge, _state.GetTotalIssuance());
        Assert.Equal(burned + charge, _state.GetTotalBurned());

        // Paying an account that exists adds no state: only the bytes are charged.
        var again = Tx.Transfer(Keys.Alice, stranger.Address, Tx.Tokens(5), 1);
        var before = _state.GetAccount(Keys.Alice.Address).Balance;
        TransactionExecutor.Execute(_state, again, _block);
        Assert.Equal(
            before - Tx.Tokens(5) - Tx.MinFee - new Amount(Charge(again, 0)),
            _state.GetAccount(Keys.Alice.Address).Balance
        );
    }

    [Fact]
    public void A_sender_who_cannot_pay_the_charge_is_refused_and_nothing_changes()
    {
        // Bob can pay the amount and the fee but not the charge for the account the transfer would create.
        using var stranger = KeyPair.FromDevelopmentName("resource-stranger-2");
        var all = Tx.Tokens(TestChain.FundedTokens) - Tx.MinFee;
        var transfer = Tx.Transfer(Keys.Bob, stranger.Address, all, 0);
        var snapshot = StateSnapshot.Of(_state);
        var e = Assert.Throws<LedgerException>(() => TransactionExecutor.Execute(_state, transfer, _block));
        Assert.Equal(ErrorCode.InsufficientBalance, e.Code);
        Assert.Contains("bytes of state", e.Message, StringComparison.Ordinal);
        Assert.Equal(snapshot, StateSnapshot.Of(_state));
    }

    [Fact]
    public void Growth_counts_new_keys_and_longer_values_less_what_is_deleted()
    {
        byte[] a = [0xF0, 1],
            b = [0xF0, 2];
        _state.Set(a, new byte[10]);
        var checkpoint = _state.Checkpoint();
        Assert.Equal(0, _state.GrowthSince(checkpoint));
        _state.Set(b, new byte[5]); // new: 2 + 5
        _state.Set(a, new byte[4]); // 12 -> 6
        _state.Set(b, new byte[8]); // the same key again counts once: 2 + 8
        Assert.Equal(10 - 6, _state.GrowthSince(checkpoint));
        _state.Delete(a);
        Assert.Equal(10 - 12, _state.GrowthSince(checkpoint));
    }
}
