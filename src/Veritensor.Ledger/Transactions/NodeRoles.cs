namespace Veritensor.Ledger.Transactions;

/// <summary>What a registered node offers the network. A node may hold several roles.</summary>
[Flags]
public enum NodeRoles : byte
{
    None = 0,

    /// <summary>Produces and signs blocks.</summary>
    Validator = 1,

    /// <summary>Accepts users' inference requests and routes them.</summary>
    Gateway = 2,

    /// <summary>Runs models and signs results.</summary>
    Inference = 4,

    /// <summary>Re-executes inference and attests.</summary>
    Verifier = 8,
    All = Validator | Gateway | Inference | Verifier,
}
