namespace Veritensor.Client;

/// <summary>A request needs re-execution (<c>VerifierSelection.NeedsVerification</c>) and no registered verifier may be drawn for it.</summary>
public sealed class NoEligibleVerifierException(string message) : Exception(message);
