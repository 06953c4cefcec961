namespace Veritensor.Wallet;

/// <summary>What went wrong in a <see cref="WalletException"/>, so callers can react without parsing messages.</summary>
public enum WalletErrorKind
{
    /// <summary>A name, mnemonic, seed, word count or password the caller supplied is not acceptable.</summary>
    InvalidInput,

    /// <summary>The wallet, coldkey or hotkey does not exist.</summary>
    NotFound,

    /// <summary>A coldkey or hotkey already exists and overwriting was not asked for.</summary>
    AlreadyExists,

    /// <summary>The password does not open the coldkey keystore.</summary>
    WrongPassword,

    /// <summary>A wallet file cannot be parsed or fails authentication.</summary>
    CorruptFile,

    /// <summary>A secret-bearing file is readable or writable by group or others.</summary>
    InsecurePermissions,

    /// <summary>No password could be obtained (no environment variable, no terminal).</summary>
    NoPassword,
}
