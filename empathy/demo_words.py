"""Students' words for the demo's completed sessions, one list per demo question. Written for this project."""

DEMO_WORDS = {
    "culture-lunch": (
        "I go to the library at lunch because the cafeteria is so loud I can't even hear my friends.",
        "Lunch is the only time I see my friends from middle school, so it's the best part of the day.",
        "Honestly I just sit wherever there's space. Sometimes that's alone and that's kind of hard.",
        "The line takes like half of lunch, so by the time you sit down you have ten minutes.",
        "We have a table by the windows. It's been our table since September, nobody else sits there.",
        "When I was new I ate in the bathroom for a week. I'm not joking. Then robotics kids found me.",
        "I wish there were more places to go, like a quiet room, because not everybody wants noise.",
        "The lunch ladies know my name, that sounds small but it matters to me.",
    ),
    "belong-place": (
        "The art room. Ms. Park lets us stay after school and nobody judges what you make.",
        "Robotics. When the robot finally worked everyone was yelling and I felt like I was part of something.",
        "I don't really have a place yet. Maybe the bus? That sounds sad but it's where I talk to people.",
        "The counseling office, because Mr. Reyes always asks how my mom is doing.",
        "In my ESL class I feel like I belong because everyone there is also learning, nobody laughs.",
        "The soccer field after school. On the team it doesn't matter what grades you have.",
        "Honestly the library. The librarian saves books for me.",
    ),
    "adult-trust": (
        "My math teacher. She noticed I was quiet for a week and asked me if I was okay, in private.",
        "Coach. He tells you the truth even when you don't want to hear it, but he's not mean about it.",
        "I don't really trust adults here. Not in a bad way, I just don't know them.",
        "The front office lady, she helped me when my schedule was wrong and nobody else would.",
        "Mr. Reyes, because when I told him something he didn't tell everyone else.",
        "My English teacher reads what we write and writes back real comments, not just a grade.",
    ),
    "learn-stuck": (
        "I just stop. If I ask in front of everybody they'll think I'm dumb.",
        "I text my cousin, she took the same class last year.",
        "YouTube. Teachers explain it once and then move on.",
        "I go to tutoring on Thursdays but the bus leaves at 3:15 so I can only stay twenty minutes.",
        "I ask the person next to me, and if they don't know we both just guess.",
        "In math I freeze. I know I know it but I freeze.",
    ),
    "safe-stress": (
        "The week of finals I slept like four hours a night. My friends kept me going honestly.",
        "When my grandma was sick I couldn't focus and only one teacher let me turn things in late.",
        "Basketball helps. Even if the day is bad, practice is the same every day.",
        "Nothing really helped. I just waited for it to be over.",
        "My advisory teacher gave us a day with no homework and it was the best thing all year.",
    ),
    "support-missing": (
        "A place to do homework after school that's open later, because my house is loud.",
        "More counselors. You have to wait like two weeks to see one.",
        "Somebody who speaks Spanish in the front office for my parents.",
        "Tutoring during lunch, because after school I have to watch my brother.",
        "A club for kids who just moved here, so you're not alone the first month.",
        "Teachers checking in, even just 'how are you', not only about grades.",
    ),
}
OBSERVATION = "Several students nodded when lunch noise came up; the group got quieter talking about adults."
FOLLOW_UP = "I thought about it more and I want to add that the new student club should meet at lunch, not after school."
