package simtest

import (
	"fmt"
	"math/rand/v2"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"
)

// Dataset is data to seed: collections with raw documents (each with an _id) and indexes.
type Dataset struct {
	Collections []Collection
}

// Collection is one namespace of a Dataset.
type Collection struct {
	DB, Name string
	Docs     []bson.Raw
	Indexes  []Index
}

// Index is a secondary index.
type Index struct {
	Name   string
	Keys   bson.D
	Unique bool
}

// DocCount is the number of documents over all collections.
func (d Dataset) DocCount() int {
	n := 0
	for _, c := range d.Collections {
		n += len(c.Docs)
	}
	return n
}

// gen is the deterministic generator behind ClearML.
type gen struct {
	rng  *rand.Rand
	base time.Time
}

func (g *gen) hexID() string { return fmt.Sprintf("%016x%016x", g.rng.Uint64(), g.rng.Uint64()) }

func (g *gen) date() time.Time {
	return g.base.Add(time.Duration(g.rng.Int64N(int64(400 * 24 * time.Hour)))).Truncate(time.Millisecond)
}

func (g *gen) pick(vals ...string) string { return vals[g.rng.IntN(len(vals))] }

func (g *gen) bytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.rng.UintN(256))
	}
	return b
}

var unicodeNames = []string{"Обучение модели", "実験", "émoji 🚀 run", "Ünïcödé test", "数据集 v2", "plain run", "résumé—draft", "Ελληνικά"}

// ClearML returns a ClearML-server-like data set: databases backend (company, user, project,
// task, model, queue, with secondary indexes including a unique and a compound one) and auth
// (user, with indexes). scale 1 gives a few hundred documents; documents mix ObjectId, dates,
// nested documents, arrays, binary, int32/int64, decimal128, doubles, nulls, booleans and
// unicode strings. The result depends only on seed and scale.
func ClearML(seed int64, scale int) Dataset {
	if scale < 1 {
		scale = 1
	}
	g := &gen{rng: rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15)),
		base: time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)}
	companies := []string{g.hexID(), g.hexID()}
	users := make([]string, 8*scale)
	for i := range users {
		users[i] = g.hexID()
	}
	projects := make([]string, 15*scale)
	for i := range projects {
		projects[i] = g.hexID()
	}
	tasks := make([]string, 250*scale)
	for i := range tasks {
		tasks[i] = g.hexID()
	}
	return Dataset{Collections: []Collection{
		companyColl(g, companies),
		userColl(g, companies, users),
		projectColl(g, companies, users, projects),
		taskColl(g, companies, users, projects, tasks),
		modelColl(g, companies, users, projects, tasks, 60*scale),
		queueColl(g, companies, tasks, 4+scale),
		authUserColl(g, companies, users),
	}}
}

func marshalAll(docs []bson.D) []bson.Raw {
	out := make([]bson.Raw, len(docs))
	for i, d := range docs {
		b, err := bson.Marshal(d)
		if err != nil {
			panic(fmt.Sprintf("simtest: marshal dataset document: %v", err))
		}
		out[i] = b
	}
	return out
}

func companyColl(g *gen, companies []string) Collection {
	var docs []bson.D
	for i, id := range companies {
		docs = append(docs, bson.D{{Key: "_id", Value: id}, {Key: "name", Value: fmt.Sprintf("company-%d", i)},
			{Key: "created", Value: g.date()}, {Key: "defaults", Value: bson.D{{Key: "cluster", Value: nil}}}})
	}
	return Collection{DB: "backend", Name: "company", Docs: marshalAll(docs),
		Indexes: []Index{{Name: "name_1", Keys: bson.D{{Key: "name", Value: 1}}, Unique: true}}}
}

func userColl(g *gen, companies, users []string) Collection {
	var docs []bson.D
	for i, id := range users {
		docs = append(docs, bson.D{{Key: "_id", Value: id}, {Key: "company", Value: companies[i%len(companies)]},
			{Key: "name", Value: fmt.Sprintf("user %d %s", i, g.pick(unicodeNames...))},
			{Key: "given_name", Value: g.pick("Ann", "Борис", "Chloé", "大輔")}, {Key: "family_name", Value: g.pick("Lee", "Müller", "Иванова")},
			{Key: "avatar", Value: nil}, {Key: "created", Value: g.date()},
			{Key: "preferences", Value: bson.D{{Key: "theme", Value: g.pick("dark", "light")}, {Key: "rows", Value: int32(g.rng.IntN(100))}}}})
	}
	return Collection{DB: "backend", Name: "user", Docs: marshalAll(docs),
		Indexes: []Index{{Name: "company_1", Keys: bson.D{{Key: "company", Value: 1}}}}}
}

func projectColl(g *gen, companies, users, projects []string) Collection {
	var docs []bson.D
	for i, id := range projects {
		docs = append(docs, bson.D{{Key: "_id", Value: id}, {Key: "company", Value: companies[i%len(companies)]},
			{Key: "user", Value: users[g.rng.IntN(len(users))]},
			{Key: "name", Value: fmt.Sprintf("%s/project %d", g.pick(unicodeNames...), i)},
			{Key: "basename", Value: fmt.Sprintf("project %d", i)}, {Key: "description", Value: g.pick("", "baseline", "ablation — part 2")},
			{Key: "created", Value: g.date()}, {Key: "last_update", Value: g.date()},
			{Key: "tags", Value: bson.A{g.pick("cv", "nlp", "rl"), g.pick("prod", "dev")}}, {Key: "system_tags", Value: bson.A{}},
			{Key: "default_output_destination", Value: nil}, {Key: "featured", Value: int32(g.rng.IntN(5))}})
	}
	return Collection{DB: "backend", Name: "project", Docs: marshalAll(docs),
		Indexes: []Index{{Name: "company_1_name_1", Keys: bson.D{{Key: "company", Value: 1}, {Key: "name", Value: 1}}, Unique: true}}}
}

func taskColl(g *gen, companies, users, projects, tasks []string) Collection {
	var docs []bson.D
	for i, id := range tasks {
		created := g.date()
		d := bson.D{{Key: "_id", Value: id}, {Key: "company", Value: companies[i%len(companies)]},
			{Key: "user", Value: users[g.rng.IntN(len(users))]}, {Key: "project", Value: projects[g.rng.IntN(len(projects))]},
			{Key: "name", Value: fmt.Sprintf("%s #%d", g.pick(unicodeNames...), i)},
			{Key: "type", Value: g.pick("training", "testing", "data_processing", "inference")},
			{Key: "status", Value: g.pick("created", "queued", "in_progress", "completed", "failed", "stopped")},
			{Key: "created", Value: created}, {Key: "started", Value: created.Add(time.Minute)}}
		if g.rng.IntN(3) > 0 {
			d = append(d, bson.E{Key: "completed", Value: created.Add(time.Duration(g.rng.IntN(3600)) * time.Second)})
		}
		var parent any
		if i > 0 && g.rng.IntN(4) == 0 {
			parent = tasks[g.rng.IntN(i)]
		}
		d = append(d, bson.E{Key: "parent", Value: parent}, bson.E{Key: "comment", Value: g.pick("", "Auto-generated ✓", "переобучение")},
			bson.E{Key: "tags", Value: bson.A{g.pick("a", "b")}}, bson.E{Key: "system_tags", Value: bson.A{}},
			bson.E{Key: "execution", Value: bson.D{{Key: "queue", Value: g.hexID()},
				{Key: "parameters", Value: bson.D{{Key: "Args/lr", Value: fmt.Sprintf("%.4f", g.rng.Float64())}, {Key: "Args/epochs", Value: fmt.Sprint(g.rng.IntN(100))}}},
				{Key: "artifacts", Value: bson.A{bson.D{{Key: "key", Value: "data"}, {Key: "type", Value: "pandas"}, {Key: "uri", Value: "s3://bucket/" + id},
					{Key: "content_size", Value: g.rng.Int64N(1 << 40)}, {Key: "timestamp", Value: created.Unix()}}}}}},
			bson.E{Key: "hyperparams", Value: bson.D{{Key: "Args", Value: bson.D{{Key: "lr", Value: bson.D{{Key: "section", Value: "Args"},
				{Key: "name", Value: "lr"}, {Key: "value", Value: "0.01"}, {Key: "type", Value: "float"}}}}}}},
			bson.E{Key: "last_metrics", Value: bson.D{{Key: g.hexID(), Value: bson.D{{Key: "metric", Value: "loss"}, {Key: "variant", Value: "train"},
				{Key: "value", Value: g.rng.Float64() * 10}, {Key: "min_value", Value: g.rng.Float64()}, {Key: "count", Value: g.rng.Int64N(1e6)}}}}},
			bson.E{Key: "last_iteration", Value: int32(g.rng.IntN(100000))}, bson.E{Key: "active_duration", Value: g.rng.Int64N(1 << 35)},
			bson.E{Key: "runtime", Value: bson.D{{Key: "gpu_count", Value: int32(g.rng.IntN(8))}, {Key: "duration", Value: g.rng.Float64() * 1e4}}},
			bson.E{Key: "script", Value: bson.D{{Key: "repository", Value: "https://example.invalid/repo.git"}, {Key: "binary", Value: "python3"},
				{Key: "requirements_digest", Value: primitive.Binary{Subtype: 0, Data: g.bytes(20)}}}})
		docs = append(docs, d)
	}
	return Collection{DB: "backend", Name: "task", Docs: marshalAll(docs), Indexes: []Index{
		{Name: "company_1_project_1_status_1", Keys: bson.D{{Key: "company", Value: 1}, {Key: "project", Value: 1}, {Key: "status", Value: 1}}},
		{Name: "created_-1", Keys: bson.D{{Key: "created", Value: -1}}},
		{Name: "parent_1", Keys: bson.D{{Key: "parent", Value: 1}}},
	}}
}

func modelColl(g *gen, companies, users, projects, tasks []string, n int) Collection {
	var docs []bson.D
	for i := 0; i < n; i++ {
		acc, _ := primitive.ParseDecimal128(fmt.Sprintf("0.%04d", g.rng.IntN(10000)))
		docs = append(docs, bson.D{{Key: "_id", Value: g.hexID()}, {Key: "company", Value: companies[i%len(companies)]},
			{Key: "user", Value: users[g.rng.IntN(len(users))]}, {Key: "project", Value: projects[g.rng.IntN(len(projects))]},
			{Key: "task", Value: tasks[g.rng.IntN(len(tasks))]}, {Key: "name", Value: fmt.Sprintf("model %d — %s", i, g.pick(unicodeNames...))},
			{Key: "framework", Value: g.pick("PyTorch", "TensorFlow", "scikit-learn")},
			{Key: "design", Value: bson.D{{Key: "design", Value: "[layers]\nconv=3"}}},
			{Key: "labels", Value: bson.D{{Key: "background", Value: int32(0)}, {Key: "person", Value: int32(1)}}},
			{Key: "uri", Value: fmt.Sprintf("file:///models/%d.pt", i)}, {Key: "ready", Value: g.rng.IntN(2) == 1},
			{Key: "created", Value: g.date()}, {Key: "size_bytes", Value: g.rng.Int64N(1 << 36)}, {Key: "accuracy", Value: acc},
			{Key: "checksum", Value: primitive.Binary{Subtype: 0, Data: g.bytes(16)}},
			{Key: "uuid", Value: primitive.Binary{Subtype: 4, Data: g.bytes(16)}},
			{Key: "metadata", Value: bson.A{bson.D{{Key: "key", Value: "epochs"}, {Key: "value", Value: "10"}, {Key: "type", Value: "int"}}}}})
	}
	return Collection{DB: "backend", Name: "model", Docs: marshalAll(docs), Indexes: []Index{
		{Name: "company_1_project_1", Keys: bson.D{{Key: "company", Value: 1}, {Key: "project", Value: 1}}},
		{Name: "task_1", Keys: bson.D{{Key: "task", Value: 1}}},
	}}
}

func queueColl(g *gen, companies, tasks []string, n int) Collection {
	var docs []bson.D
	for i := 0; i < n; i++ {
		var oid primitive.ObjectID
		copy(oid[:], g.bytes(12))
		entries := bson.A{}
		for j := 0; j < g.rng.IntN(4); j++ {
			entries = append(entries, bson.D{{Key: "task", Value: tasks[g.rng.IntN(len(tasks))]}, {Key: "added", Value: g.date()}})
		}
		docs = append(docs, bson.D{{Key: "_id", Value: oid}, {Key: "company", Value: companies[i%len(companies)]},
			{Key: "name", Value: fmt.Sprintf("queue-%d", i)}, {Key: "created", Value: g.date()},
			{Key: "system_tags", Value: bson.A{g.pick("default", "services")}}, {Key: "entries", Value: entries},
			{Key: "metadata", Value: bson.D{{Key: "stamp", Value: primitive.Timestamp{T: uint32(g.base.Unix()) + uint32(i), I: 1}}}}})
	}
	return Collection{DB: "backend", Name: "queue", Docs: marshalAll(docs),
		Indexes: []Index{{Name: "company_1_name_1", Keys: bson.D{{Key: "company", Value: 1}, {Key: "name", Value: 1}}, Unique: true}}}
}

func authUserColl(g *gen, companies, users []string) Collection {
	var docs []bson.D
	for i, id := range users {
		docs = append(docs, bson.D{{Key: "_id", Value: id}, {Key: "name", Value: fmt.Sprintf("user %d", i)},
			{Key: "company", Value: companies[i%len(companies)]}, {Key: "role", Value: g.pick("user", "admin")},
			{Key: "email", Value: fmt.Sprintf("user%d@example.invalid", i)}, {Key: "created", Value: g.date()},
			{Key: "credentials", Value: bson.A{bson.D{{Key: "key", Value: fmt.Sprintf("%020X", g.rng.Uint64())},
				{Key: "secret", Value: g.hexID() + g.hexID()}, {Key: "last_used", Value: g.date()}}}}})
	}
	return Collection{DB: "auth", Name: "user", Docs: marshalAll(docs), Indexes: []Index{
		{Name: "company_1", Keys: bson.D{{Key: "company", Value: 1}}},
		{Name: "email_1", Keys: bson.D{{Key: "email", Value: 1}}, Unique: true},
	}}
}
