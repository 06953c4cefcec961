namespace Veritensor.Client;

/// <summary>
/// GET /v1/emission: the genesis emission schedule and subnet rules, and the chain's token accounts. Amounts are tokens.
/// <see cref="NextBlockEmission"/> is what the next block accrues (the schedule clipped to the cap; 0 while no subnet
/// exists). Total issuance + burned = genesis issuance + minted; issuance + pending never exceeds the cap.
/// </summary>
public sealed record EmissionResponse(
    string InitialBlockEmission,
    string HalvingInterval,
    string MaxIssuance,
    string NextBlockEmission,
    string LockCost,
    int MinTempo,
    string TotalIssuance,
    string PendingEmission,
    string TotalMinted,
    string TotalBurned
);
