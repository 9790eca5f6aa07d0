using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Notifications.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class SubmitterUserId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "submitter_user_id",
                table: "submitters",
                type: "uuid",
                nullable: true);

            // Rows recorded before the column: the user ids among them (system client ids stay null).
            migrationBuilder.Sql("""
                UPDATE submitters SET submitter_user_id = submitted_by::uuid
                WHERE submitted_by ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "submitter_user_id",
                table: "submitters");
        }
    }
}
