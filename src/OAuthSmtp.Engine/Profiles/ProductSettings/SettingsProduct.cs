using System.Diagnostics.CodeAnalysis;

namespace OAuthSmtp.Engine.Profiles.ProductSettings;

/// <summary>
/// The products whose vendor guides Get-SmtpOAuthSettings serves, spelled as their vendors spell them (Tab
/// completion shows these names); Generic is this module's own settings card.
/// </summary>
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "Product names as their vendors write them.")]
[SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "Product names as their vendors write them (enaio, es2000, cmxOrganize).")]
public enum SettingsProduct
{
    /// <summary>Every value any product asks for, under this module's names (the settings card).</summary>
    Generic,

    /// <summary>enaio (OPTIMAL SYSTEMS): enaio server in enaio enterprise-manager and enaio webclient's osweb-prod.yml.</summary>
    enaio,

    /// <summary>InLoox Self-Hosted: the server setup wizard's OAuth page.</summary>
    InLoox,

    /// <summary>es2000: no public guide text found; the generic values under their usual portal names.</summary>
    es2000,

    /// <summary>cmxOrganize (cmx konzepte): delegated, each mailbox signs in through the app's web redirect URI.</summary>
    cmxOrganize,
}
