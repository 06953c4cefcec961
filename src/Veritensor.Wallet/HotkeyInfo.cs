using Veritensor.Core.Crypto;

namespace Veritensor.Wallet;

/// <summary>A hotkey of a wallet; <see cref="Address"/> is null when its file cannot be read.</summary>
public sealed record HotkeyInfo(string Name, Address? Address);
