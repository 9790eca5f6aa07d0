using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Notifications.Api.Domain;

namespace Notifications.Api.Data;

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> person)
    {
        person.ToTable("recipients");
        person.HasKey(p => p.UserId);
        person.Property(p => p.UserId).ValueGeneratedNever();
        person.Property(p => p.Email).HasMaxLength(320);
        person.Property(p => p.DisplayName).HasMaxLength(200);
        person.Property(p => p.PracticeOds).HasMaxLength(16);
        person.Property(p => p.Icb).HasMaxLength(16);
        // Who to tell about a practice or an ICB.
        person.HasIndex(p => p.PracticeOds);
        person.HasIndex(p => p.Icb);
    }
}

internal sealed class DirectoryPracticeConfiguration : IEntityTypeConfiguration<DirectoryPractice>
{
    public void Configure(EntityTypeBuilder<DirectoryPractice> practice)
    {
        practice.ToTable("practices");
        practice.HasKey(p => p.Ods);
        practice.Property(p => p.Ods).HasMaxLength(16);
        practice.Property(p => p.Name).HasMaxLength(200);
        practice.Property(p => p.Icb).HasMaxLength(16);
    }
}

internal sealed class SubmitterConfiguration : IEntityTypeConfiguration<Submitter>
{
    public void Configure(EntityTypeBuilder<Submitter> submitter)
    {
        submitter.ToTable("submitters");
        submitter.HasKey(s => new { s.SubmissionId, s.Version });
        submitter.Property(s => s.PracticeOds).HasMaxLength(16);
        submitter.Property(s => s.SubmittedBy).HasMaxLength(200);
    }
}
