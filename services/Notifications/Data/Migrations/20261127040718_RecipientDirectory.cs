using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Notifications.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class RecipientDirectory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Notices of the first slice were addressed to a practice, not a person: no inbox can show them any more.
            migrationBuilder.Sql("DELETE FROM notices;");

            migrationBuilder.DropIndex(
                name: "ix_notices_recipient_created_at",
                table: "notices");

            migrationBuilder.DropIndex(
                name: "ix_notices_source_message_id_recipient",
                table: "notices");

            migrationBuilder.DropColumn(
                name: "recipient",
                table: "notices");

            migrationBuilder.AlterColumn<string>(
                name: "last_error",
                table: "outgoing_emails",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "failed_at",
                table: "outgoing_emails",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "html_body",
                table: "outgoing_emails",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "recipient_user_id",
                table: "outgoing_emails",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "retried_at",
                table: "outgoing_emails",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "retried_by",
                table: "outgoing_emails",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "link",
                table: "notices",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "recipient_user_id",
                table: "notices",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.CreateTable(
                name: "email_attempts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    email_id = table.Column<Guid>(type: "uuid", nullable: false),
                    attempted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_email_attempts", x => x.id);
                    table.ForeignKey(
                        name: "fk_email_attempts_outgoing_emails_email_id",
                        column: x => x.email_id,
                        principalTable: "outgoing_emails",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "practices",
                columns: table => new
                {
                    ods = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    icb = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    registered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_practices", x => x.ods);
                });

            migrationBuilder.CreateTable(
                name: "recipients",
                columns: table => new
                {
                    user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    display_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    roles = table.Column<string[]>(type: "text[]", nullable: false),
                    practice_ods = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    icb = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    registered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    contact_changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    disabled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    muted_email_kinds = table.Column<string[]>(type: "text[]", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_recipients", x => x.user_id);
                });

            migrationBuilder.CreateTable(
                name: "submitters",
                columns: table => new
                {
                    submission_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    practice_ods = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    submitted_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_submitters", x => new { x.submission_id, x.version });
                });

            migrationBuilder.CreateIndex(
                name: "ix_notices_recipient_user_id_created_at",
                table: "notices",
                columns: new[] { "recipient_user_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_notices_source_message_id_recipient_user_id",
                table: "notices",
                columns: new[] { "source_message_id", "recipient_user_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_email_attempts_email_id_attempted_at",
                table: "email_attempts",
                columns: new[] { "email_id", "attempted_at" });

            migrationBuilder.CreateIndex(
                name: "ix_recipients_icb",
                table: "recipients",
                column: "icb");

            migrationBuilder.CreateIndex(
                name: "ix_recipients_practice_ods",
                table: "recipients",
                column: "practice_ods");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "email_attempts");

            migrationBuilder.DropTable(
                name: "practices");

            migrationBuilder.DropTable(
                name: "recipients");

            migrationBuilder.DropTable(
                name: "submitters");

            migrationBuilder.DropIndex(
                name: "ix_notices_recipient_user_id_created_at",
                table: "notices");

            migrationBuilder.DropIndex(
                name: "ix_notices_source_message_id_recipient_user_id",
                table: "notices");

            migrationBuilder.DropColumn(
                name: "failed_at",
                table: "outgoing_emails");

            migrationBuilder.DropColumn(
                name: "html_body",
                table: "outgoing_emails");

            migrationBuilder.DropColumn(
                name: "recipient_user_id",
                table: "outgoing_emails");

            migrationBuilder.DropColumn(
                name: "retried_at",
                table: "outgoing_emails");

            migrationBuilder.DropColumn(
                name: "retried_by",
                table: "outgoing_emails");

            migrationBuilder.DropColumn(
                name: "link",
                table: "notices");

            migrationBuilder.DropColumn(
                name: "recipient_user_id",
                table: "notices");

            migrationBuilder.AlterColumn<string>(
                name: "last_error",
                table: "outgoing_emails",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(500)",
                oldMaxLength: 500,
                oldNullable: true);

            migrationBuilder.AddColumn<string>(
                name: "recipient",
                table: "notices",
                type: "character varying(100)",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "ix_notices_recipient_created_at",
                table: "notices",
                columns: new[] { "recipient", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_notices_source_message_id_recipient",
                table: "notices",
                columns: new[] { "source_message_id", "recipient" },
                unique: true);
        }
    }
}
