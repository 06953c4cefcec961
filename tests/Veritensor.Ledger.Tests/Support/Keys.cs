using Veritensor.Core.Crypto;

namespace Veritensor.Ledger.Tests.Support;

/// <summary>Well-known development keys shared by the tests (never disposed: they live for the test run).</summary>
internal static class Keys
{
    public static KeyPair Alice { get; } = KeyPair.FromDevelopmentName("alice");
    public static KeyPair Bob { get; } = KeyPair.FromDevelopmentName("bob");
    public static KeyPair Charlie { get; } = KeyPair.FromDevelopmentName("charlie");

    /// <summary>Holds nothing at genesis.</summary>
    public static KeyPair Dave { get; } = KeyPair.FromDevelopmentName("dave");

    /// <summary>The genesis validator's hotkey: it proposes blocks and collects fees.</summary>
    public static KeyPair Validator { get; } = KeyPair.FromDevelopmentName("validator");

    /// <summary>The coldkey that owns <see cref="Validator"/> and its genesis stake.</summary>
    public static KeyPair ValidatorCold { get; } = KeyPair.FromDevelopmentName("validator-cold");

    /// <summary>Hotkeys that are not registered at genesis.</summary>
    public static KeyPair NodeA { get; } = KeyPair.FromDevelopmentName("node-a");
    public static KeyPair NodeB { get; } = KeyPair.FromDevelopmentName("node-b");
}
