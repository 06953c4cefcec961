namespace Veritensor.Ledger.Genesis;

/// <summary>A genesis file that cannot be used, with the field that is wrong.</summary>
public sealed class GenesisException : Exception
{
    public GenesisException(string message)
        : base(message) { }

    public GenesisException() { }

    public GenesisException(string message, Exception inner)
        : base(message, inner) { }
}
