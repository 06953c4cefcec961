using Veritensor.Core.Crypto;

namespace Veritensor.Ledger.State;

/// <summary>
/// The layout of the key-value state. Every key starts with a one-byte namespace; the values are
/// canonical encodings. The layout is consensus: changing it changes every state root.
/// </summary>
public static class StateKeys
{
    public const byte ChainNamespace = 0x00;
    public const byte AccountNamespace = 0x01;
    public const byte StakeNamespace = 0x02;
    public const byte HotkeyStakeNamespace = 0x03;
    public const byte NodeNamespace = 0x04;

    /// <summary>The chain parameters fixed by genesis.</summary>
    public static byte[] Parameters { get; } = Named("parameters");

    /// <summary>Total tokens in existence (free plus staked).</summary>
    public static byte[] TotalIssuance { get; } = Named("total-issuance");

    public static byte[] Account(Address address) => Prefixed(AccountNamespace, address.PublicKey);

    /// <summary>The stake a coldkey holds on a hotkey; prefix scans by coldkey list its stakes.</summary>
    public static byte[] Stake(Address coldkey, Address hotkey)
    {
        var key = new byte[1 + 2 * Address.Size];
        key[0] = StakeNamespace;
        coldkey.PublicKey.CopyTo(key.AsSpan(1));
        hotkey.PublicKey.CopyTo(key.AsSpan(1 + Address.Size));
        return key;
    }

    public static byte[] StakesOf(Address coldkey) => Prefixed(StakeNamespace, coldkey.PublicKey);

    /// <summary>The sum of all stake on a hotkey: its weight as a validator or node.</summary>
    public static byte[] HotkeyStake(Address hotkey) => Prefixed(HotkeyStakeNamespace, hotkey.PublicKey);

    public static byte[] Node(Address hotkey) => Prefixed(NodeNamespace, hotkey.PublicKey);

    private static byte[] Named(string name)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(name);
        return Prefixed(ChainNamespace, bytes);
    }

    private static byte[] Prefixed(byte prefix, ReadOnlySpan<byte> rest)
    {
        var key = new byte[1 + rest.Length];
        key[0] = prefix;
        rest.CopyTo(key.AsSpan(1));
        return key;
    }
}
