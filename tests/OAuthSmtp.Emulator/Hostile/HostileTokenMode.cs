namespace OAuthSmtp.Emulator.Hostile;

/// <summary>Ways the emulated token endpoint can misbehave (<see cref="EmulatorFaults.TokenServiceHostility"/>).</summary>
public enum HostileTokenMode
{
    None,

    /// <summary>Holds the answer for <see cref="EmulatorFaults.TokenServiceDelayMs"/> (the request is read first).</summary>
    Slow,

    /// <summary>200 with a JSON-looking body of <see cref="EmulatorFaults.TokenServiceBodyBytes"/> bytes that never closes.</summary>
    HugeBody,

    /// <summary>200 with a body that is not JSON.</summary>
    InvalidJson,

    /// <summary>200 with a well-formed token response whose access_token is not a JWT.</summary>
    NotAJwt,

    /// <summary>200 with valid JSON that lacks access_token.</summary>
    MissingAccessToken,
}
