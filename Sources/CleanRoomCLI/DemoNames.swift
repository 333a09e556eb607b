/// First and last names by language, as they appear in e-mail addresses: lowercase ASCII, umlauts and accents
/// spelt out the way people do it in addresses (`mueller`, `francois`).
struct DemoNames: Sendable {
    /// Female first names.
    let female: [String]
    /// Male first names.
    let male: [String]
    /// Last names.
    let last: [String]
    /// A few complete local parts with letters outside ASCII (`jürgen.weiß`), for the internationalized
    /// addresses a small share of people use.
    let unicodeLocalParts: [String]

    static let german = DemoNames(
        female: [
            "anna", "maria", "laura", "julia", "lena", "sarah", "lisa", "katharina", "sophie", "hannah", "lea",
            "emma", "sandra", "petra", "sabine", "claudia", "stefanie", "nicole", "birgit", "monika", "jana",
            "carina", "franziska", "melanie",
        ],
        male: [
            "lukas", "jonas", "leon", "felix", "maximilian", "paul", "tim", "jan", "thomas", "michael", "andreas",
            "stefan", "markus", "christian", "daniel", "alexander", "tobias", "florian", "juergen", "matthias",
            "sebastian", "niklas", "uwe", "wolfgang",
        ],
        last: [
            "mueller", "schmidt", "schneider", "fischer", "weber", "meyer", "wagner", "becker", "schulz", "hoffmann",
            "schaefer", "koch", "bauer", "richter", "klein", "wolf", "schroeder", "neumann", "schwarz", "zimmermann",
            "braun", "krueger", "hofmann", "hartmann", "lange", "werner", "krause", "lehmann", "koehler", "huber",
            "gruber", "pichler", "steiner", "moser", "keller", "brunner", "baumann", "vogel", "frank", "berger",
        ],
        unicodeLocalParts: ["jürgen.weiß", "björn.größ", "jörg.müller", "käthe.schröder", "günther.böhm"]
    )

    static let french = DemoNames(
        female: [
            "marie", "camille", "lea", "manon", "chloe", "julie", "sophie", "claire", "emilie", "nathalie",
            "isabelle", "sandrine", "celine", "aurelie", "pauline", "margaux", "ines", "louise",
        ],
        male: [
            "jean", "pierre", "nicolas", "julien", "thomas", "antoine", "francois", "sebastien", "mathieu",
            "alexandre", "olivier", "laurent", "guillaume", "maxime", "hugo", "louis", "arthur", "romain",
        ],
        last: [
            "martin", "bernard", "dubois", "thomas", "robert", "richard", "petit", "durand", "leroy", "moreau",
            "simon", "laurent", "lefebvre", "michel", "garcia", "david", "bertrand", "roux", "vincent", "fournier",
            "morel", "girard", "andre", "mercier", "dupont", "lambert", "bonnet", "francois", "favre", "rochat",
        ],
        unicodeLocalParts: ["françois.lefèvre", "hélène.côté", "josé.girard", "zoé.mercier", "anaïs.bonnet"]
    )

    static let dutch = DemoNames(
        female: [
            "emma", "julia", "sophie", "anna", "lotte", "eva", "sanne", "fleur", "lisa", "anouk", "femke", "ilse",
            "marieke", "inge", "els", "an", "liesbeth", "noor",
        ],
        male: [
            "daan", "sem", "lucas", "levi", "thijs", "jesse", "bram", "ruben", "lars", "tim", "pieter", "jan",
            "wouter", "bas", "koen", "joost", "dirk", "stijn",
        ],
        last: [
            "devries", "jansen", "vandijk", "bakker", "janssens", "visser", "smit", "meijer", "debruijn", "mulder",
            "peeters", "degroot", "bos", "vos", "peters", "hendriks", "vanleeuwen", "dekker", "maes", "willems",
            "claes", "goossens", "wouters", "verbeek",
        ],
        unicodeLocalParts: ["noël.peeters", "chloë.jansen", "daniël.visser"]
    )

    static let nordic = DemoNames(
        female: [
            "anna", "emma", "ida", "sofia", "maja", "ella", "frida", "ingrid", "astrid", "karin", "kristin", "mette",
            "sara", "linnea", "nora", "hanna",
        ],
        male: [
            "lars", "erik", "anders", "johan", "magnus", "nils", "oskar", "mikkel", "henrik", "jonas", "kasper",
            "sven", "olav", "emil", "william", "lucas",
        ],
        last: [
            "jensen", "nielsen", "hansen", "pedersen", "andersen", "larsen", "johansson", "andersson", "karlsson",
            "nilsson", "eriksson", "olsen", "berg", "haugen", "johansen", "lindqvist", "lund", "dahl", "strand",
            "holm",
        ],
        unicodeLocalParts: ["søren.kjær", "åsa.öberg", "jørgen.dæhli", "björn.åström"]
    )

    static let polish = DemoNames(
        female: [
            "anna", "katarzyna", "malgorzata", "agnieszka", "barbara", "ewa", "magdalena", "joanna", "aleksandra",
            "zofia", "natalia", "monika",
        ],
        male: [
            "piotr", "krzysztof", "andrzej", "tomasz", "pawel", "michal", "marcin", "jakub", "lukasz", "adam",
            "kamil", "mateusz",
        ],
        last: [
            "nowak", "kowalski", "wisniewski", "wojcik", "kowalczyk", "kaminski", "lewandowski", "zielinski",
            "szymanski", "wozniak", "dabrowski", "kozlowski", "jankowski", "mazur", "kwiatkowski", "krawczyk",
        ],
        unicodeLocalParts: ["łukasz.wójcik", "małgorzata.nowak", "paweł.dąbrowski"]
    )

    static let italian = DemoNames(
        female: [
            "giulia", "francesca", "sara", "chiara", "martina", "valentina", "alessia", "elena", "federica", "silvia",
            "laura", "giorgia",
        ],
        male: [
            "marco", "alessandro", "andrea", "luca", "giuseppe", "francesco", "matteo", "lorenzo", "davide",
            "simone", "federico", "riccardo",
        ],
        last: [
            "rossi", "russo", "ferrari", "esposito", "bianchi", "romano", "colombo", "ricci", "marino", "greco",
            "bruno", "gallo", "conti", "deluca", "mancini", "costa", "giordano", "rizzo", "lombardi", "moretti",
        ],
        unicodeLocalParts: ["niccolò.rossi", "nicolò.conti", "mattìa.greco"]
    )

    static let spanish = DemoNames(
        female: [
            "maria", "lucia", "paula", "laura", "marta", "sara", "andrea", "ana", "carmen", "elena", "cristina",
            "alba",
        ],
        male: [
            "antonio", "manuel", "jose", "francisco", "david", "juan", "javier", "daniel", "carlos", "alejandro",
            "pablo", "sergio",
        ],
        last: [
            "garcia", "rodriguez", "gonzalez", "fernandez", "lopez", "martinez", "sanchez", "perez", "gomez",
            "martin", "jimenez", "ruiz", "hernandez", "diaz", "moreno", "munoz", "alvarez", "romero",
        ],
        unicodeLocalParts: ["íñigo.muñoz", "begoña.pérez", "josé.garcía"]
    )
}
