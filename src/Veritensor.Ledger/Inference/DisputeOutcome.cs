namespace Veritensor.Ledger.Inference;

/// <summary>How a dispute ended. Values are stored: never renumber.</summary>
public enum DisputeOutcome : byte
{
    /// <summary>Open: waiting for a quorum.</summary>
    Pending = 0,

    /// <summary>The quorum's majority attested a mismatch: the disputed output was wrong.</summary>
    OutputWrong = 1,

    /// <summary>The quorum's majority attested a match: the disputed output was right.</summary>
    OutputRight = 2,

    /// <summary>No majority came within the dispute window; ExpireDispute returned the escrow and nobody was slashed.</summary>
    Expired = 3,
}
