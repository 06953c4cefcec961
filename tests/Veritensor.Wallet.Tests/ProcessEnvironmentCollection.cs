namespace Veritensor.Wallet.Tests;

/// <summary>
/// Tests that change process-wide state (environment variables such as VERITENSOR_PASSWORD, and
/// <c>WalletAccess.KdfOverrideForTests</c>) run in this collection, one at a time and never beside other tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "process environment";
}
