CREATE TABLE "cover_thumbnails" (
	"cover_id" text NOT NULL,
	"size" integer NOT NULL,
	"mime_type" text NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "cover_thumbnails_cover_id_size_pk" PRIMARY KEY("cover_id","size")
);
--> statement-breakpoint
ALTER TABLE "cover_thumbnails" ADD CONSTRAINT "cover_thumbnails_cover_id_cover_art_id_fk" FOREIGN KEY ("cover_id") REFERENCES "public"."cover_art"("id") ON DELETE cascade ON UPDATE no action;