using System.CommandLine;

namespace Veritensor.Cli.Commands;

/// <summary>The --netuid option the subnet, weights and metagraph commands share.</summary>
internal static class NetuidOption
{
    public static Option<ushort> Create() => new("--netuid") { Description = "The subnet's netuid.", Required = true };
}
