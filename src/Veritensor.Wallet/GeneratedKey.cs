using Veritensor.Core.Crypto;

namespace Veritensor.Wallet;

/// <summary>A key that was just generated: its address and the mnemonic that restores it (shown to the user once, never stored).</summary>
public sealed record GeneratedKey(Address Address, string Mnemonic);
