namespace Veritensor.Wallet;

/// <summary>The result of <see cref="WalletStore.Create(string, string, int, string, bool)"/>: the new coldkey and first hotkey with their mnemonics.</summary>
public sealed record CreatedWallet(string Name, GeneratedKey Coldkey, string HotkeyName, GeneratedKey Hotkey);
