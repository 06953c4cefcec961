using Veritensor.Core.Crypto;

namespace Veritensor.Wallet;

/// <summary>
/// What is on disk for one wallet, read without a password. <see cref="ColdkeyAddress"/> is null when the wallet
/// has no (readable) <c>coldkeypub.txt</c>; <see cref="HasColdkey"/> says whether the encrypted coldkey is present
/// (a wallet on a mining server often holds only coldkeypub.txt and hotkeys).
/// </summary>
public sealed record WalletInfo(
    string Name,
    string Path,
    Address? ColdkeyAddress,
    bool HasColdkey,
    IReadOnlyList<HotkeyInfo> Hotkeys
);
