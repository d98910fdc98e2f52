using System;

namespace OAuthSmtp.Engine.Profiles;

/// <summary>
/// The cloud-derived settings a user set explicitly. These keep their value when the cloud or the credential
/// kind changes; the others are derived again.
/// </summary>
[Flags]
public enum ProfileOverrides
{
    None = 0,
    SmtpServer = 1,
    Port = 2,
    AuthorityHost = 4,
    Scope = 8,
}
