using Veritensor.Core;
using Veritensor.Core.Crypto;
using Veritensor.Ledger.Transactions;

namespace Veritensor.Ledger.Tests.Support;

/// <summary>
/// Builds signed transactions for the test chain; the fee defaults to the chain's minimum. A transaction signs the
/// genesis hash of the <see cref="TestChain"/> last opened in the calling test's flow (<see cref="CurrentGenesis"/>),
/// or of <see cref="TestChain.DefaultGenesis"/> when none was, unless the caller names one.
/// </summary>
internal static class Tx
{
    private static readonly AsyncLocal<Hash256?> Opened = new();

    /// <summary>The genesis hash transactions sign by default in this flow.</summary>
    public static Hash256 CurrentGenesis
    {
        get => Opened.Value ?? TestChain.DefaultGenesisHash;
        set => Opened.Value = value;
    }

    public static readonly Amount MinFee = new ChainParameters().MinFee;

    public static Amount Tokens(ulong tokens) => Amount.FromTokens(tokens);

    public static SignedTransaction Transfer(
        KeyPair from,
        Address to,
        Amount amount,
        ulong nonce,
        Amount? fee = null,
        string chainId = TestChain.ChainId,
        Hash256? genesis = null
    ) =>
        new Transaction(
            chainId,
            genesis ?? CurrentGenesis,
            from.Address,
            nonce,
            fee ?? MinFee,
            new TransferPayload(to, amount)
        ).Sign(from);

    public static SignedTransaction AddStake(
        KeyPair from,
        Address hotkey,
        Amount amount,
        ulong nonce,
        Amount? fee = null,
        string chainId = TestChain.ChainId,
        Hash256? genesis = null
    ) =>
        new Transaction(
            chainId,
            genesis ?? CurrentGenesis,
            from.Address,
            nonce,
            fee ?? MinFee,
            new StakePayload(TransactionKind.AddStake, hotkey, amount)
        ).Sign(from);

    public static SignedTransaction RemoveStake(
        KeyPair from,
        Address hotkey,
        Amount amount,
        ulong nonce,
        Amount? fee = null,
        string chainId = TestChain.ChainId,
        Hash256? genesis = null
    ) =>
        new Transaction(
            chainId,
            genesis ?? CurrentGenesis,
            from.Address,
            nonce,
            fee ?? MinFee,
            new StakePayload(TransactionKind.RemoveStake, hotkey, amount)
        ).Sign(from);

    public static SignedTransaction Register(
        KeyPair coldkey,
        KeyPair hotkey,
        ulong nonce,
        NodeRoles roles = NodeRoles.Inference,
        string endpoint = "https://node.example:8443",
        Amount? fee = null,
        string chainId = TestChain.ChainId,
        Hash256? genesis = null
    ) =>
        new Transaction(
            chainId,
            genesis ?? CurrentGenesis,
            coldkey.Address,
            nonce,
            fee ?? MinFee,
            RegisterNodePayload.Create(chainId, coldkey.Address, hotkey, roles, endpoint)
        ).Sign(coldkey);

    /// <summary>Any payload, signed by <paramref name="from"/>.</summary>
    public static SignedTransaction Sign(
        KeyPair from,
        ulong nonce,
        TransactionPayload payload,
        Amount? fee = null,
        string chainId = TestChain.ChainId,
        Hash256? genesis = null
    ) => new Transaction(chainId, genesis ?? CurrentGenesis, from.Address, nonce, fee ?? MinFee, payload).Sign(from);

    public static SignedTransaction CreateSubnet(KeyPair owner, ulong nonce, Amount? fee = null) =>
        Sign(owner, nonce, new CreateSubnetPayload(), fee);

    public static SignedTransaction RegisterNeuron(
        KeyPair coldkey,
        KeyPair hotkey,
        ushort netuid,
        ulong nonce,
        Amount? fee = null,
        string chainId = TestChain.ChainId,
        Hash256? genesis = null
    ) =>
        Sign(
            coldkey,
            nonce,
            RegisterNeuronPayload.Create(chainId, coldkey.Address, hotkey, netuid),
            fee,
            chainId,
            genesis
        );

    public static VerifiedTransaction Verified(this SignedTransaction signed) => VerifiedTransaction.Verify(signed);
}
