using System;
using System.Reflection;

namespace OAuthSmtp.DependencyLoader;

/// <summary>One assembly in the dependencies/ folder: its identity and its file.</summary>
public sealed class DependencyFile
{
    public DependencyFile(AssemblyName name, string path)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Path = path ?? throw new ArgumentNullException(nameof(path));
    }

    public AssemblyName Name { get; }

    public string Path { get; }
}
