namespace Veritensor.Ledger.Inference;

/// <summary>The shapes of model names and versions, shared by the ledger, the API and clients.</summary>
public static class ModelNames
{
    /// <summary>[a-z0-9][a-z0-9._-]{0,63}</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: >= 1 and <= ModelRecord.MaxNameBytes }
        && IsLowerAlphanumeric(name[0])
        && name.All(c => IsLowerAlphanumeric(c) || c is '.' or '_' or '-');

    /// <summary>[0-9A-Za-z][0-9A-Za-z._-]{0,31}</summary>
    public static bool IsValidVersion(string? version) =>
        version is { Length: >= 1 and <= ModelRecord.MaxVersionBytes }
        && char.IsAsciiLetterOrDigit(version[0])
        && version.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static bool IsLowerAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
